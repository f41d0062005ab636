package ui_test

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/internal/ui"
)

// Environment of the browser tests.
const (
	// envChromium names the browser binary; default: chromium on PATH.
	envChromium = "SCHEMATA_CHROMIUM"
	// envScreenshots names a directory (e.g. docs/screenshots) to write
	// the screenshots to; by default they go to a temporary directory.
	envScreenshots = "SCHEMATA_UI_SCREENSHOTS"
)

// newBrowser starts headless Chromium for one test and returns a
// context that drives a tab, and the URLs of every request the page made.
func newBrowser(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	path := os.Getenv(envChromium)
	if path == "" {
		var err error
		if path, err = exec.LookPath("chromium"); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("chromium is not installed: %v (.ci/run installs it)", err)
			}
			t.Skipf("chromium is not installed (apt-get install -y chromium, or set %s): %v", envChromium, err)
		}
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 860),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	var mu sync.Mutex
	var requests []string
	// Listen starts the browser; its lifetime is ctx's, so ctx has no
	// deadline of its own (each step gets one, see step).
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requests = append(requests, e.Request.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), requests...)
	}
}

// stepTimeout bounds one group of browser actions.
const stepTimeout = 60 * time.Second

// run runs actions in the browser, failing the test on error.
func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// value runs one action that returns a value.
func value[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return v
}

// text reads the visible text of the first element matching a CSS
// selector.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return value(t, ctx, chromedp.Text(chromedp.CSS(sel)))
}

// wantIncompatible checks the Check page's answer: subject's verdict is
// incompatible, the report names rule, and a line of the checked schema
// is marked with its finding.
func wantIncompatible(t *testing.T, ctx context.Context, subject, rule string) {
	t.Helper()
	if got := text(t, ctx, "#verdict"); !strings.Contains(got, subject+": incompatible") {
		t.Errorf("check verdict = %q", got)
	}
	if got := text(t, ctx, "pre.report"); !strings.Contains(got, rule) {
		t.Errorf("check report = %q", got)
	}
	if n := value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("tr.row-error").length`)); n == 0 {
		t.Errorf("no line of the checked schema is marked with its finding")
	}
}

// screenshotDir is where screenshots go.
func screenshotDir(t *testing.T) string {
	if dir := os.Getenv(envScreenshots); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

// screenshot captures the viewport into dir/name.
func screenshot(dir, name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
		png, err := chromedp.CaptureScreenshot()(ctx, tgt)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, name), png, 0o644)
	})
}

// TestBrowserSubjectDiffCheck clicks through subject → diff → check in
// headless Chromium against a seeded registry, loads the other pages,
// and checks keyboard access and that nothing is fetched from elsewhere.
func TestBrowserSubjectDiffCheck(t *testing.T) {
	t.Parallel()
	f := newFixture(t, servertest.SQLite, ui.Options{})
	ctx, requests := newBrowser(t)
	dir := screenshotDir(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	run(t, ctx, "subjects",
		chromedp.Navigate(f.url("/ui/subjects?page=2")),
		chromedp.WaitVisible(css(`a[href="/ui/subjects/orders-value"]`)),
		screenshot(dir, "subjects.png"),
		chromedp.Click(css(`a[href="/ui/subjects/orders-value"]`)),
		chromedp.WaitVisible(css(`h1.subject-name`)),
		screenshot(dir, "subject.png"),
	)
	if got := text(t, ctx, "h1.subject-name"); got != "orders-value" {
		t.Errorf("subject page title = %q", got)
	}

	run(t, ctx, "diff",
		chromedp.Click(css(`p.actions a[href*="/diff"]`)),
		chromedp.WaitVisible(css(`table.sbs`)),
		screenshot(dir, "diff.png"),
	)
	if got := text(t, ctx, "p.banner"); !strings.Contains(got, "v3 is compatible") {
		t.Errorf("diff banner = %q", got)
	}

	run(t, ctx, "check",
		chromedp.Click(css(`p.banner a[href^="/ui/check"]`)),
		chromedp.WaitVisible(css(`#schema`)),
		chromedp.SetValue(css(`#schema`), ordersBreaking),
		chromedp.Click(css(`form.check button[type="submit"]`)),
		chromedp.WaitVisible(css(`#verdict`)),
		chromedp.ScrollIntoView(css(`#verdict-h`)),
		screenshot(dir, "check.png"),
	)
	wantIncompatible(t, ctx, "orders-value", "AVRO_ADDITIVE_FIELD_REMOVED")

	run(t, ctx, "deprecations and consumer",
		chromedp.Navigate(f.url("/ui/deprecations")),
		chromedp.WaitVisible(css(`tr.overdue`)),
		screenshot(dir, "deprecations.png"),
		chromedp.Navigate(f.url("/ui/consumers/billing-etl")),
		chromedp.WaitVisible(css(`#verdict`)),
	)
	if got := text(t, ctx, "#verdict"); !strings.Contains(got, "Safe") {
		t.Errorf("consumer verdict = %q", got)
	}

	run(t, ctx, "keyboard",
		chromedp.Navigate(f.url("/ui/subjects")),
		chromedp.WaitVisible(css(`#q`)),
		chromedp.KeyEvent("\t"),
	)
	if got := value(t, ctx, chromedp.Evaluate[string](`document.activeElement.textContent`)); got != "Skip to content" {
		t.Errorf("first Tab focuses %q, want the skip link", got)
	}

	origin, _ := url.Parse(f.srv.URL)
	for _, r := range requests() {
		u, err := url.Parse(r)
		if err != nil || u.Host != origin.Host {
			t.Errorf("the page requested %s, which the registry does not serve", r)
		}
	}
}

// TestBrowserPhone loads pages on a phone-sized viewport: the page must
// not be wider than the screen (code views scroll inside themselves).
func TestBrowserPhone(t *testing.T) {
	t.Parallel()
	f := newFixture(t, servertest.SQLite, ui.Options{})
	ctx, _ := newBrowser(t)
	dir := screenshotDir(t)
	for _, tc := range []struct{ path, shot string }{
		{"/ui/subjects?page=2", "subjects-phone.png"},
		{"/ui/subjects/orders-value", ""},
		{"/ui/subjects/orders-value/diff", ""},
		{"/ui/deprecations", ""},
		{"/ui/check", ""},
	} {
		actions := []chromedp.Action[chromedp.Void]{
			chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1), chromedp.EmulateMobile),
			chromedp.Navigate(f.url(tc.path)),
			chromedp.WaitVisible(chromedp.CSS(`main h1`)),
		}
		if tc.shot != "" {
			actions = append(actions, screenshot(dir, tc.shot))
		}
		run(t, ctx, tc.path, actions...)
		if value(t, ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`)) {
			t.Errorf("%s is wider than a phone screen", tc.path)
		}
	}
}
