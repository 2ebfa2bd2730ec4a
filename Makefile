# The two commands a newcomer needs: `make run` and `make test`.
# One set of build tags everywhere, so the cgo build of SQLite is cached once.
TAGS    := sqlite_fts5
GOFLAGS := -tags=$(TAGS)
export GOFLAGS
export CGO_ENABLED := 1
export GORACE := atexit_sleep_ms=0

.PHONY: run build test generate check vet fmt-check generate-check import clean urls translated reference dev lighthouse screenshots bench scale

## run: build, import content/ into data/site.db and serve at http://$${ADDR:-127.0.0.1:8080}
run: build
	./bin/site serve

## dev: the editors' preview at http://$${ADDR:-127.0.0.1:8080}: drafts shown, pages refresh on every save
## (content/ and static/ are watched; .templ changes are regenerated and the program restarted)
dev:
	go tool templ generate --watch --cmd "go build -o bin/site ./cmd/site && exec bin/site serve -dev"

## build: build the program into bin/site
build: generate
	go build -o bin/site ./cmd/site

## test: formatting, generated code up to date, vet, and every test (with the race detector)
test: fmt-check generate-check vet check
	go test -race -count=1 ./...
	# Memory bounds, measured without the race detector (which makes
	# sync.Pool drop buffers, so parsers allocate them anew).
	go test -count=1 -run 'TestHostile' ./internal/content

## generate: regenerate the templ components (commit the result)
generate:
	go tool templ generate

## generate-check: fail if the committed generated code is stale
generate-check:
	go tool templ generate -check
	go tool templ fmt -fail templates

## check: check content/ (or CONTENT=dir) and print every problem as file:line:col
check:
	go run ./cmd/site check -content $(or $(CONTENT),content)

## import: import content/ into the database
import: build
	./bin/site import

vet:
	go vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '_templ.go$$')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

clean:
	rm -rf bin data

## reference: regenerate docs/content-reference.md from the content schema
reference:
	go run ./cmd/site reference

## urls: record new page addresses in content/urls.txt (commit it with the pages)
urls:
	go run ./cmd/site urls

## translated: after updating translations, record the version of the Polish text they now translate
## (FILE="content/pages/about.en.md content/pages/about.uk.md")
translated:
	@test -n "$(FILE)" || { echo 'name the updated translations: make translated FILE="content/pages/about.uk.md …"'; exit 2; }
	go run ./cmd/site translated $(FILE)

## lighthouse: Lighthouse scores of the home page and a declaration page (needs Chromium; not part of make test)
lighthouse: build
	tools/lighthouse/run.sh

## screenshots: write the README's screenshots to docs/screenshots (needs Chromium)
screenshots:
	SCREENSHOT_DIR=$(CURDIR)/docs/screenshots go test -count=1 -run TestScreenshots ./internal/web

## bench: the server against nginx serving the same page, with wrk on 127.0.0.1 (needs nginx and wrk)
bench: build
	go build -o bin/bare ./tools/bench/bare
	tools/bench/run.sh

## scale: 10,000 synthetic declarations and 10,000 meetings: import time, database size, memory when served (needs wrk)
scale: build
	tools/scale/run.sh
