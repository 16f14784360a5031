// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/partnercenter-terraform/terraform-provider-partnercenter/internal/auth"
)

// The registry documentation is generated from the schema, so an attribute
// without a MarkdownDescription is an undocumented argument. The schema is
// read through the protocol, exactly as tfplugindocs reads it, where the
// framework reports a MarkdownDescription as a markdown-kind description.
func TestSchemaDocs_everyAttributeHasMarkdownDescription(t *testing.T) {
	server := providerserver.NewProtocol6(New("test")())()
	resp, err := server.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Errorf("GetProviderSchema: %s: %s", d.Summary, d.Detail)
	}

	var missing []string
	check := func(kind, name string, s *tfprotov6.Schema) {
		if s == nil || s.Block == nil {
			missing = append(missing, kind+" "+name+": no schema")
			return
		}
		missing = append(missing, schemaDocGaps(kind+" "+name, s.Block)...)
	}
	check("provider", "", resp.Provider)
	for name, s := range resp.ResourceSchemas {
		check("resource", name, s)
	}
	for name, s := range resp.DataSourceSchemas {
		check("data source", name, s)
	}
	for _, want := range []string{"partnercenter_transfer"} {
		if resp.ResourceSchemas[want] == nil {
			t.Errorf("resource %s is not registered; the walk would miss it", want)
		}
	}
	for _, want := range []string{"partnercenter_transfer", "partnercenter_transfers"} {
		if resp.DataSourceSchemas[want] == nil {
			t.Errorf("data source %s is not registered; the walk would miss it", want)
		}
	}
	slices.Sort(missing)
	for _, m := range missing {
		t.Errorf("%s", m)
	}
}

// The walk itself must notice a gap at any depth, or the test above could
// pass while checking nothing.
func TestSchemaDocs_walkFindsNestedGaps(t *testing.T) {
	md := func(s string) (string, tfprotov6.StringKind) { return s, tfprotov6.StringKindMarkdown }
	desc, kind := md("Documented.")
	block := &tfprotov6.SchemaBlock{
		Description: desc, DescriptionKind: kind,
		Attributes: []*tfprotov6.SchemaAttribute{
			{Name: "ok", Description: desc, DescriptionKind: kind},
			{Name: "plain", Description: "Plain text only.", DescriptionKind: tfprotov6.StringKindPlain},
			{Name: "items", Description: desc, DescriptionKind: kind, NestedType: &tfprotov6.SchemaObject{
				Attributes: []*tfprotov6.SchemaAttribute{
					{Name: "inner_ok", Description: desc, DescriptionKind: kind},
					{Name: "inner_missing"},
				},
			}},
		},
		BlockTypes: []*tfprotov6.SchemaNestedBlock{{
			TypeName: "settings",
			Block: &tfprotov6.SchemaBlock{Attributes: []*tfprotov6.SchemaAttribute{
				{Name: "deep", Description: desc, DescriptionKind: kind},
				{Name: "deep_missing"},
			}},
		}},
	}
	got := schemaDocGaps("resource x", block)
	want := []string{
		"resource x: attribute items.inner_missing has no MarkdownDescription",
		"resource x: attribute plain has no MarkdownDescription",
		"resource x: block settings has no MarkdownDescription",
		"resource x: attribute settings.deep_missing has no MarkdownDescription",
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("schemaDocGaps() =\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// schemaDocGaps lists the description gaps of a schema block: the block
// itself, every attribute, nested attribute and nested block.
func schemaDocGaps(owner string, block *tfprotov6.SchemaBlock) []string {
	var gaps []string
	if !hasMarkdownDescription(block.Description, block.DescriptionKind) {
		gaps = append(gaps, owner+": no MarkdownDescription")
	}
	var walkAttrs func(prefix string, attrs []*tfprotov6.SchemaAttribute)
	walkAttrs = func(prefix string, attrs []*tfprotov6.SchemaAttribute) {
		for _, a := range attrs {
			name := prefix + a.Name
			if !hasMarkdownDescription(a.Description, a.DescriptionKind) {
				gaps = append(gaps, owner+": attribute "+name+" has no MarkdownDescription")
			}
			if a.NestedType != nil {
				walkAttrs(name+".", a.NestedType.Attributes)
			}
		}
	}
	var walkBlock func(prefix string, b *tfprotov6.SchemaBlock)
	walkBlock = func(prefix string, b *tfprotov6.SchemaBlock) {
		walkAttrs(prefix, b.Attributes)
		for _, nb := range b.BlockTypes {
			name := prefix + nb.TypeName
			if nb.Block == nil || !hasMarkdownDescription(nb.Block.Description, nb.Block.DescriptionKind) {
				gaps = append(gaps, owner+": block "+name+" has no MarkdownDescription")
			}
			if nb.Block != nil {
				walkBlock(name+".", nb.Block)
			}
		}
	}
	walkBlock("", block)
	return gaps
}

func hasMarkdownDescription(description string, kind tfprotov6.StringKind) bool {
	return strings.TrimSpace(description) != "" && kind == tfprotov6.StringKindMarkdown
}

// guidesDir holds the guide templates tfplugindocs renders into docs/guides.
var guidesDir = filepath.Join("..", "..", "templates", "guides")

func readGuide(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(guidesDir, name)) // #nosec G304 -- the repository's own guide templates.
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var envNamesInDescription = regexp.MustCompile("Environment variable: (`[A-Z0-9_]+`(?: or `[A-Z0-9_]+`)*)")

// The authentication guide's environment variable table lists, for every
// provider argument, the variables the provider really reads, in the order
// it reads them: those named in the schema, which must agree with the
// auth package.
func TestGuides_authenticationListsEveryEnvironmentVariable(t *testing.T) {
	server := providerserver.NewProtocol6(New("test")())()
	resp, err := server.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	guide := readGuide(t, "authentication.md.tmpl")
	rows := map[string]string{}
	for _, line := range strings.Split(guide, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) == 4 && strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			rows[strings.Trim(strings.TrimSpace(cells[1]), "`")] = strings.TrimSpace(cells[2])
		}
	}
	checked := 0
	for _, a := range resp.Provider.Block.Attributes {
		m := envNamesInDescription.FindStringSubmatch(a.Description)
		if m == nil {
			continue
		}
		checked++
		names := strings.Split(strings.ReplaceAll(m[1], "`", ""), " or ")
		if fromAuth := auth.EnvVars(a.Name); fromAuth != nil && !slices.Equal(fromAuth, names) {
			t.Errorf("%s: the schema names %v but the auth package reads %v", a.Name, names, fromAuth)
		}
		want := "`" + strings.Join(names, "`, `") + "`"
		if got, ok := rows[a.Name]; !ok {
			t.Errorf("the authentication guide has no row for %s (want %s)", a.Name, want)
		} else if got != want {
			t.Errorf("the authentication guide lists %s for %s, want %s", got, a.Name, want)
		}
	}
	if checked < 15 {
		t.Errorf("only %d provider arguments name environment variables; the schema descriptions changed form?", checked)
	}
}

// The troubleshooting guide explains exactly the Partner Center codes the
// provider has a hint for, and every HTTP status it has a hint for.
func TestGuides_troubleshootingListsEveryErrorCode(t *testing.T) {
	guide := readGuide(t, "troubleshooting.md.tmpl")
	codeRow := regexp.MustCompile("(?m)^\\| `([0-9]+)` \\|")
	documented := map[string]bool{}
	for _, m := range codeRow.FindAllStringSubmatch(guide, -1) {
		documented[m[1]] = true
	}
	for code := range errorHints {
		if !documented[code] {
			t.Errorf("the troubleshooting guide does not explain error code %s", code)
		}
	}
	for code := range documented {
		if _, ok := errorHints[code]; !ok {
			t.Errorf("the troubleshooting guide explains code %s, which the provider has no hint for (errors.go)", code)
		}
	}
	for status := range statusHints {
		if !regexp.MustCompile(fmt.Sprintf(`(?m)^\| %d \|`, status)).MatchString(guide) {
			t.Errorf("the troubleshooting guide does not explain HTTP %d", status)
		}
	}
}
