package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// git runs git in dir and returns its standard output.
func git(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("git %s: %s", strings.Join(args, " "), msg)
	}
	return stdout.Bytes(), nil
}

// changedFiles returns the absolute paths of files that differ between
// ref and the working tree, plus untracked files, in the repository
// holding dir.
func changedFiles(ctx context.Context, dir, ref string) (map[string]bool, error) {
	top, err := git(ctx, dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, err
	}
	root := strings.TrimSpace(string(top))
	diff, err := git(ctx, dir, "diff", "--name-only", "-z", ref, "--")
	if err != nil {
		return nil, err
	}
	untracked, err := git(ctx, dir, "ls-files", "--others", "--exclude-standard", "--full-name", "-z")
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, list := range [][]byte{diff, untracked} {
		for _, name := range strings.Split(string(list), "\x00") {
			if name != "" {
				out[canonicalPath(filepath.Join(root, filepath.FromSlash(name)))] = true
			}
		}
	}
	return out, nil
}

// canonicalPath resolves symbolic links in p's directory, so paths that
// git reports compare equal to paths built from the config's location.
func canonicalPath(p string) string {
	dir, err := filepath.EvalSymlinks(filepath.Dir(p))
	if err != nil {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, filepath.Base(p))
}

// gitSource reads files as they are at a git revision.
type gitSource struct {
	dir string // the project dir, inside the repository
	ref string
}

func (s gitSource) read(ctx context.Context, rel string) (string, bool, error) {
	// "REF:./path" is relative to the directory git runs in.
	spec := s.ref + ":./" + rel
	if _, err := git(ctx, s.dir, "cat-file", "-e", spec); err != nil {
		if _, verr := git(ctx, s.dir, "rev-parse", "--verify", "--quiet", s.ref+"^{commit}"); verr != nil {
			return "", false, fmt.Errorf("git revision %q: %w", s.ref, verr)
		}
		return "", false, nil
	}
	out, err := git(ctx, s.dir, "show", spec)
	if err != nil {
		return "", false, err
	}
	return string(out), true, nil
}

func (s gitSource) String() string { return "git:" + s.ref }

// verifyRef checks, once and before any file is read, that ref names a
// commit of the repository holding dir, and otherwise says why not with a
// hint at the usual CI causes: no repository, a shallow checkout, a base
// ref that was never fetched.
func verifyRef(ctx context.Context, dir, ref string) error {
	if _, err := git(ctx, dir, "rev-parse", "--git-dir"); err != nil {
		return errors.New("the project is not in a git repository\nhint: run in a git checkout of the project")
	}
	if _, err := git(ctx, dir, "rev-parse", "--verify", "--quiet", ref+"^{commit}"); err == nil {
		return nil
	}
	if out, err := git(ctx, dir, "rev-parse", "--is-shallow-repository"); err == nil && strings.TrimSpace(string(out)) == "true" {
		return fmt.Errorf("git ref %q not found in this shallow checkout\nhint: fetch the history (actions/checkout with fetch-depth: 0) or at least the ref (git fetch origin %s)", ref, strings.TrimPrefix(ref, "origin/"))
	}
	return fmt.Errorf("git ref %q not found\nhint: fetch it first (git fetch origin %s), or check its spelling; in a pull request use origin/<base branch>", ref, strings.TrimPrefix(ref, "origin/"))
}
