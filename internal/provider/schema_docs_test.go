package provider

import (
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
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
