// gensdk generates the drs package's SDKs from schema.json with Pulumi's own code generators
// (github.com/pulumi/pulumi/pkg/v3/codegen, the code `pulumi package gen-sdk` runs). The CLI
// delegates gen-sdk to each language's host plugin, and the Go module proxy reachable here
// refuses the current Python and Go hosts, so we call the generators directly.
//
//	go run . <schema.json> <python|go> <out dir>
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blang/semver"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "pulumi-drs-jobs gensdk"

// noPackages: the drs schema refers to no other package.
type noPackages struct{}

func (noPackages) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("no package %q: the drs schema refers to no other package", name)
}

func (l noPackages) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, nil)
}

func (l noPackages) LoadPackageReference(name string, v *semver.Version) (schema.PackageReference, error) {
	_, err := l.LoadPackage(name, v)
	return nil, err
}

func (l noPackages) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, nil)
}

func main() {
	if len(os.Args) != 4 {
		fail(fmt.Errorf("usage: gensdk <schema.json> <python|go> <out dir>"))
	}
	schemaPath, language, out := os.Args[1], os.Args[2], os.Args[3]
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		fail(err)
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		fail(fmt.Errorf("%s: %w", schemaPath, err))
	}
	pkg, diags, err := schema.BindSpec(spec, noPackages{}, schema.ValidationOptions{})
	if err != nil {
		fail(err)
	}
	if diags.HasErrors() {
		fail(diags)
	}
	var files map[string][]byte
	switch language {
	case "python":
		files, err = python.GeneratePackage(tool, pkg, nil, noPackages{})
	case "go":
		files, err = gogen.GeneratePackage(tool, pkg, nil)
	default:
		err = fmt.Errorf("unknown language %q (python or go)", language)
	}
	if err != nil {
		fail(err)
	}
	if err := os.RemoveAll(out); err != nil {
		fail(err)
	}
	for name, content := range files {
		path := filepath.Join(out, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			fail(err)
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			fail(err)
		}
	}
	fmt.Fprintf(os.Stderr, "gensdk: wrote %d %s files to %s\n", len(files), language, out)
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "gensdk: %v\n", err)
	os.Exit(1)
}
