# formwork — see README.md. Every target runs from a fresh clone.
GO      ?= go
BIN     := bin/formwork
CFNLINT := $(shell command -v cfn-lint 2>/dev/null)

.PHONY: build test golden generate lint bench cfn-lint release

# urfave_cli_no_docs leaves out the CLI library's man-page and Markdown
# generators (no command uses them) and the Markdown parser they link, whose
# package initialisation every start paid for. netgo and osusergo use Go's
# own DNS resolver and user lookup instead of the C library's: the binary is
# statically linked and starts without the dynamic loader (about 1 ms).
TAGS    := urfave_cli_no_docs,netgo,osusergo

# formwork version reads the version Go records in the binary: vX.Y.Z for
# go install ...@vX.Y.Z, dev for a build from a checkout.
build:
	$(GO) build -tags $(TAGS) -o $(BIN) ./cmd/formwork

# go vet, every test (golden files included), then cfn-lint over golden/.
test:
	$(GO) vet ./...
	$(GO) test -timeout 30m ./...   # TestInstallFromARelease builds formwork from an empty module cache
	@$(MAKE) --no-print-directory cfn-lint

# Regenerate golden/ from the stacks. Review the diff before committing it.
golden:
	$(GO) test ./stacks -run '^TestGolden$$' -update -count=1

# Rewrite every generated file: the resource registry (templates/registry_gen.go)
# and the Lambda runtimes and stateful types (stacks/rules/lifecycle_gen.go)
# from the installed cfn-lint's data, the rule tables of formwork help
# security-rules (commands/help/security-rules.md) from the rule set, and the
# importer's description of goformation's types (internal/importer/goformation_types.txt). .ci/run fails when this changes anything.
generate:
	$(GO) generate ./templates ./stacks/rules
	$(GO) test ./stacks/rules -run '^TestREADMERuleTables$$' -update -count=1
	$(GO) test ./internal/importer -run '^TestGoformationTypes$$' -update -count=1

lint:
	@out="$$(gofmt -l $$(git ls-files '*.go'))"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	@$(MAKE) --no-print-directory cfn-lint

cfn-lint:
ifdef CFNLINT
	cfn-lint -- golden/*.yaml
else
	@echo "cfn-lint not on PATH: skipped (CI requires it)"
endif

# Performance budget, reported against a Go hello-world started in the same
# run (a ratio holds on a loaded machine where an absolute time does not):
# formwork --version, render, check, validate --no-cfn-lint and diff of the
# catalogue as fresh processes (20 interleaved runs, medians); the engine's
# CPU time per resource, flat from 50 to 5,000 resources; the diff of two
# 1,000-resource templates; importing a 500-resource template. Then every
# benchmark, briefly (formwork package's build, zip and upload 3 times each).
# Budgets fail only here, never in make test.
bench:
	FORMWORK_BUDGET=1 $(GO) test ./templates ./internal/diff ./internal/importer ./commands -run 'Budget$$' -count=1 -v
	$(GO) test $$($(GO) list ./... | grep -v /internal/assets$$) -run '^$$' -bench . -benchmem -benchtime=20x
	@# formwork package: a build takes seconds, so 3 runs each
	$(GO) test ./internal/assets -run '^$$' -bench . -benchmem -benchtime=3x

# What a Go module proxy serves for VERSION (@v/list, .info, .mod, .zip) under
# dist/, and its notes from CHANGELOG.md's section, from HEAD of a clean tree.
# See formwork help release.
release:
	@test -n "$(VERSION)" || { echo "make release VERSION=vX.Y.Z: name the version (CHANGELOG.md must have its section)" >&2; exit 2; }
	$(GO) run ./internal/release/cmd -version $(VERSION) -out dist
