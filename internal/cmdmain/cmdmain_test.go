// SPDX-License-Identifier: MPL-2.0

package cmdmain

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"testing"
)

func TestExitCode(t *testing.T) {
	cases := []struct {
		name     string
		err      error
		wantCode int
		wantErr  string
	}{
		{name: "success", err: nil, wantCode: 0, wantErr: ""},
		{name: "help", err: fmt.Errorf("parsing: %w", flag.ErrHelp), wantCode: 0, wantErr: ""},
		{name: "failure", err: errors.New("listen: address in use"), wantCode: 2, wantErr: "tool: listen: address in use\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stderr strings.Builder
			if got := exitCode("tool", tc.err, &stderr); got != tc.wantCode {
				t.Errorf("exitCode = %d, want %d", got, tc.wantCode)
			}
			if stderr.String() != tc.wantErr {
				t.Errorf("stderr = %q, want %q", stderr.String(), tc.wantErr)
			}
		})
	}
}
