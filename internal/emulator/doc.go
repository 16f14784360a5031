// SPDX-License-Identifier: MPL-2.0

// Package emulator is a local, in-process emulator of the Microsoft Partner
// Center partner-to-partner transfer API, with a fake Entra ID mounted on the
// same server. Nobody can reach Partner Center from a test machine, so every
// test, example, demo and benchmark of the project runs against it, and users
// rehearse migrations with it.
//
// Time is virtual: transfers expire and complete on a clock that runs at a
// configurable speed and can be advanced by hand. State transitions are
// evaluated lazily on every access, in deadline order, so the emulator needs
// no background goroutines and behaves deterministically under test.
//
// Behavior the public documentation leaves open is listed, with the option
// that changes it, in this package's README.md.
package emulator
