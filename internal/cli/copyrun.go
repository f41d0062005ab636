package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/schemata-dev/schemata/client"
)

// copyRun carries out a copyPlan on the target registry.
type copyRun struct {
	target *client.Client
	plan   *copyPlan
	// parallel bounds concurrent imports within one reference depth.
	parallel int
	// progress, when non-nil, is a terminal to show progress on.
	progress io.Writer
	// copyGlobalMode sets the global mode the plan says at the end;
	// otherwise the target's global mode before the copy is restored.
	copyGlobalMode bool
	// targetGlobalMode is the target's global mode before the copy.
	targetGlobalMode string
	// targetModes are the target's subject modes before the copy.
	targetModes map[string]string

	mu       sync.Mutex
	failures []string
	// deletedEarly are versions soft-deleted during the imports.
	deletedEarly map[string]bool
	done         int
	imported     int
	deleted      int
}

// fail records a step that failed; the copy goes on with the others and
// the verification reports what is missing.
func (r *copyRun) fail(err error) {
	r.mu.Lock()
	r.failures = append(r.failures, err.Error())
	r.mu.Unlock()
}

// run applies the plan. Every version is imported through IMPORT mode:
// the target is switched to IMPORT for the copy (subjects with a mode of
// their own too, since theirs wins), and the modes are put back (or set
// as the plan says) at the end, even when steps failed.
func (r *copyRun) run(ctx context.Context) (err error) {
	writes := r.plan.writesSubjects()
	// The global mode is set on leaving IMPORT: after writes, or when an
	// interrupted copy left the target in IMPORT.
	leaving := len(writes) > 0 || r.targetGlobalMode == client.ModeImport
	if leaving {
		defer func() { err = errors.Join(err, r.restoreGlobalMode(ctx)) }()
	}
	if len(writes) > 0 {
		if _, err := r.target.SetMode(ctx, "", client.ModeImport, &client.SetModeOptions{Force: true}); err != nil {
			return err
		}
		for subject := range writes {
			if m := r.targetModes[subject]; m != "" && m != client.ModeImport {
				if _, err := r.target.SetMode(ctx, subject, client.ModeImport, &client.SetModeOptions{Force: true}); err != nil {
					return err
				}
			}
		}
	}
	stopProgress := r.showProgress()
	r.deletedEarly = map[string]bool{}
	for _, group := range r.plan.imports {
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(r.parallel)
		// One task per subject, its versions in order: registries answer
		// a schema already live in the subject with that version, so the
		// order of versions within a subject matters.
		for _, steps := range bySubject(group) {
			g.Go(func() error {
				for _, s := range steps {
					r.importVersion(gctx, s)
				}
				return gctx.Err()
			})
		}
		if err := g.Wait(); err != nil {
			stopProgress()
			return err
		}
	}
	stopProgress()
	for _, s := range r.plan.deletes {
		if r.deletedEarly[versionKey(s.subject, s.v.Version)] {
			continue
		}
		if _, err := r.target.DeleteVersion(ctx, s.subject, s.v.Version, nil); err != nil {
			r.fail(err)
			continue
		}
		r.count(&r.deleted)
	}
	for _, c := range r.plan.configs {
		var err error
		if c.fields == nil {
			_, err = r.target.DeleteConfig(ctx, c.subject)
		} else {
			err = r.target.SetRawConfig(ctx, c.subject, c.fields)
		}
		if err != nil {
			r.fail(err)
		}
	}
	for _, c := range r.plan.consumers {
		if _, _, err := r.target.PutConsumer(ctx, c); err != nil {
			r.fail(err)
		}
	}
	// A copied record keeps its sunset even when it has passed: the
	// source already made that decision.
	for _, d := range r.plan.deprecations {
		if _, _, err := r.target.Deprecate(ctx, d, &client.DeprecateOptions{Force: true}); err != nil {
			r.fail(err)
		}
	}
	r.setSubjectModes(ctx, writes, leaving)
	return ctx.Err()
}

// importVersion imports one version. When the target answers with an
// earlier version instead (the same schema is live there, and the source
// soft-deleted it before registering it again), that version is
// soft-deleted first, as it was in the source, and the import repeated.
func (r *copyRun) importVersion(ctx context.Context, s copyStep) {
	defer r.count(&r.done)
	res, err := r.target.Import(ctx, s.subject, importRequest(s.v))
	if err == nil && res.Version != 0 && res.Version != s.v.Version && r.plan.deletesVersion(s.subject, res.Version) {
		if _, err = r.target.DeleteVersion(ctx, s.subject, res.Version, nil); err == nil {
			r.mu.Lock()
			r.deletedEarly[versionKey(s.subject, res.Version)] = true
			r.deleted++
			r.mu.Unlock()
			res, err = r.target.Import(ctx, s.subject, importRequest(s.v))
		}
	}
	switch {
	case err != nil:
		r.fail(err)
	case res.Version != 0 && res.Version != s.v.Version:
		r.fail(fmt.Errorf("import %s: the target answered with its version %d", describeVersion(s.subject, s.v), res.Version))
	default:
		r.count(&r.imported)
	}
}

func (r *copyRun) count(n *int) {
	r.mu.Lock()
	*n++
	r.mu.Unlock()
}

// bySubject splits steps into runs of one subject each, in order.
func bySubject(steps []copyStep) [][]copyStep {
	var out [][]copyStep
	at := map[string]int{}
	for _, s := range steps {
		i, ok := at[s.subject]
		if !ok {
			i = len(out)
			at[s.subject] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], s)
	}
	return out
}

// setSubjectModes applies the plan's subject modes, and puts back the
// own mode of every subject switched to IMPORT for the copy.
func (r *copyRun) setSubjectModes(ctx context.Context, switched map[string]bool, leaving bool) {
	planned := map[string]bool{}
	for _, m := range r.plan.modes {
		if m.subject == "" {
			// On leaving IMPORT, restoreGlobalMode sets it.
			if !leaving {
				r.setMode(ctx, "", m.mode)
			}
			continue
		}
		planned[m.subject] = true
		r.setMode(ctx, m.subject, m.mode)
	}
	for subject := range switched {
		if m := r.targetModes[subject]; !planned[subject] && m != "" && m != client.ModeImport {
			r.setMode(ctx, subject, m)
		}
	}
}

func (r *copyRun) setMode(ctx context.Context, subject, mode string) {
	var err error
	if mode == "" {
		_, err = r.target.DeleteMode(ctx, subject)
	} else {
		_, err = r.target.SetMode(ctx, subject, mode, &client.SetModeOptions{Force: true})
	}
	if err != nil {
		r.fail(err)
	}
}

// restoreGlobalMode ends IMPORT: the planned global mode, else the one
// the target had, else (when the target was left in IMPORT by an
// interrupted copy) READWRITE.
func (r *copyRun) restoreGlobalMode(ctx context.Context) error {
	mode := afterCopyMode(r.targetGlobalMode)
	for _, m := range r.plan.modes {
		if m.subject == "" && r.copyGlobalMode {
			mode = m.mode
		}
	}
	// Not the request's context: a copy interrupted by Ctrl-C must still
	// leave IMPORT mode.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	_, err := r.target.SetMode(ctx, "", mode, &client.SetModeOptions{Force: true})
	return err
}

// afterCopyMode is the global mode a target whose mode was before is left
// in: the same, except that IMPORT (left by an interrupted copy) or none
// becomes READWRITE.
func afterCopyMode(before string) string {
	if before == "" || before == client.ModeImport {
		return client.ModeReadWrite
	}
	return before
}

// showProgress prints how many versions are imported, on one line of a
// terminal, until the returned function is called.
func (r *copyRun) showProgress() (stop func()) {
	total := r.plan.importCount()
	if r.progress == nil || total == 0 {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	show := func() {
		r.mu.Lock()
		n := r.done
		r.mu.Unlock()
		fmt.Fprintf(r.progress, "\rimporting: %d/%d versions", n, total)
	}
	go func() {
		defer wg.Done()
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				show()
				fmt.Fprintln(r.progress)
				return
			case <-t.C:
				show()
			}
		}
	}()
	return sync.OnceFunc(func() {
		close(done)
		wg.Wait()
	})
}
