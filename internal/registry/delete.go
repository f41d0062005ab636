package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/schemata-dev/schemata/srapi"
)

// DeleteVersion soft-deletes a version, or removes a soft-deleted one when
// permanent (Confluent's two-step delete). version may be LatestVersion.
// A version that a live schema references cannot be deleted (42206). It
// returns the version number deleted.
func (s *Service) DeleteVersion(ctx context.Context, subject string, version int, permanent bool) (int, error) {
	var deleted int
	var purged []int
	err := s.store.InTx(ctx, func(ctx context.Context, tx Executor) error {
		if err := s.writable(ctx, tx, subject); err != nil {
			return err
		}
		if err := tx.SubjectLock(ctx, subject); err != nil {
			return err
		}
		v, err := s.version(ctx, tx, subject, version, true)
		if err != nil {
			return err
		}
		if version == LatestVersion && !permanent {
			// "latest" names the latest live version for a soft delete.
			if v, err = s.version(ctx, tx, subject, LatestVersion, false); err != nil {
				return err
			}
		}
		switch {
		case !permanent && v.Deleted:
			return Errorf(srapi.CodeVersionSoftDeleted, "Subject '%s' Version %d was soft deleted. Set permanent=true to delete permanently", subject, v.Version)
		case permanent && !v.Deleted:
			return Errorf(srapi.CodeVersionNotSoftDeleted, "Subject '%s' Version %d was not deleted first before being permanently deleted", subject, v.Version)
		}
		if err := refusedIfReferenced(ctx, tx, subject, v.Version); err != nil {
			return err
		}
		if err := deleteIn(ctx, tx, subject, *v, permanent); err != nil {
			return err
		}
		deleted = v.Version
		if permanent {
			purged = append(purged, v.SchemaID)
		}
		return nil
	})
	if err != nil {
		return 0, storeError(err)
	}
	s.evict(subject, purged)
	return deleted, nil
}

// DeleteSubject soft-deletes every live version of a subject, or removes
// every version when permanent (which requires a prior soft delete). A
// permanent delete also drops the subject's config and mode. It returns
// the version numbers deleted.
func (s *Service) DeleteSubject(ctx context.Context, subject string, permanent bool) ([]int, error) {
	var deleted, purged []int
	err := s.store.InTx(ctx, func(ctx context.Context, tx Executor) error {
		if err := s.writable(ctx, tx, subject); err != nil {
			return err
		}
		if err := tx.SubjectLock(ctx, subject); err != nil {
			return err
		}
		all, err := tx.VersionList(ctx, subject, true)
		if err != nil {
			return err
		}
		if len(all) == 0 {
			return subjectNotFound(subject)
		}
		var live, gone []SubjectVersion
		for _, v := range all {
			if v.Deleted {
				gone = append(gone, v)
			} else {
				live = append(live, v)
			}
		}
		switch {
		case !permanent && len(live) == 0:
			return Errorf(srapi.CodeSubjectSoftDeleted, "Subject '%s' was soft deleted. Set permanent=true to delete permanently", subject)
		case permanent && len(live) > 0:
			return Errorf(srapi.CodeSubjectNotSoftDeleted, "Subject '%s' was not deleted first before being permanently deleted", subject)
		}
		targets := live
		if permanent {
			targets = gone
		}
		for _, v := range targets {
			if err := refusedIfReferenced(ctx, tx, subject, v.Version); err != nil {
				return err
			}
		}
		for _, v := range targets {
			if err := deleteIn(ctx, tx, subject, v, permanent); err != nil {
				return err
			}
			deleted = append(deleted, v.Version)
			if permanent {
				purged = append(purged, v.SchemaID)
			}
		}
		if permanent {
			for _, del := range []func(context.Context, string) error{tx.ConfigDelete, tx.ModeDelete} {
				if err := del(ctx, subject); err != nil && !errors.Is(err, ErrNotFound) {
					return err
				}
			}
			for _, kind := range []ChangeKind{ChangeConfig, ChangeMode} {
				if err := tx.Notify(ctx, Change{Subject: subject, Kind: kind}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, storeError(err)
	}
	s.evict(subject, purged)
	if permanent {
		s.apply(Change{Subject: subject, Kind: ChangeConfig})
		s.apply(Change{Subject: subject, Kind: ChangeMode})
	}
	return deleted, nil
}

// writable refuses deletes and config writes in read-only modes, as
// Confluent does (mode writes stay allowed, or nobody could leave them).
func (s *Service) writable(ctx context.Context, ex Executor, subject string) error {
	mode, err := s.effectiveMode(ctx, ex, subject)
	if err != nil {
		return err
	}
	return readOnlyRefusal(subject, mode)
}

// readOnlyRefusal is the 42205 of a write to subject ("" for global) in
// mode, nil when mode allows writes.
func readOnlyRefusal(subject string, mode Mode) error {
	if mode != ReadOnly && mode != ReadOnlyOverride {
		return nil
	}
	if subject == GlobalSubject {
		return Errorf(srapi.CodeOperationNotPermitted, "The registry is in read-only mode")
	}
	return Errorf(srapi.CodeOperationNotPermitted, "Subject %s is in read-only mode", subject)
}

func refusedIfReferenced(ctx context.Context, tx Executor, subject string, version int) error {
	ids, err := tx.VersionReferencedBy(ctx, subject, version)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	refs := make([]string, len(ids))
	for i, k := range ids {
		refs[i] = fmt.Sprint(k.ID)
		if k.Context != ContextOf(subject) {
			refs[i] = QualifySubject(k.Context, refs[i])
		}
	}
	return Errorf(srapi.CodeReferenceExists, "One or more references exist to the schema {subject=%s,version=%d}: referenced by schema ids [%s]",
		subject, version, strings.Join(refs, ", "))
}

// deleteIn soft-deletes version v of subject in tx, or removes it when
// permanent, and notifies the change (naming the schema id a permanent
// delete may have left unused).
func deleteIn(ctx context.Context, tx Executor, subject string, v SubjectVersion, permanent bool) error {
	del := tx.VersionSoftDelete
	if permanent {
		del = tx.VersionHardDelete
	}
	if err := del(ctx, subject, v.Version); err != nil {
		return err
	}
	c := Change{Subject: subject, Kind: ChangeVersions}
	if permanent {
		c.SchemaID = v.SchemaID
	}
	return tx.Notify(ctx, c)
}

// evict updates this process's caches at once after a delete in subject
// (ids: the schemas of permanently deleted versions); other processes
// learn of it through Watch.
func (s *Service) evict(subject string, ids []int) {
	s.apply(Change{Subject: subject, Kind: ChangeVersions})
	for _, id := range ids {
		s.apply(Change{Subject: subject, Kind: ChangeVersions, SchemaID: id})
	}
}

// DeleteContext deletes a schema context whose subjects were all deleted
// for good (DELETE /contexts/{context}), as Confluent's and Redpanda's
// registries do: its schemas, its id counter, so that its ids start again
// at 1, and the config and mode of the context and of its subjects go in
// one transaction. A soft-deleted subject still holds the context.
//
// It needs admin on every subject: a context's schemas and counter are
// shared by all its subjects, including those not yet registered. An
// invalid name is 42208, the default context or one still holding a
// version 42205, a context holding nothing 40401.
func (s *Service) DeleteContext(ctx context.Context, name string) error {
	if err := ValidateContext(name); err != nil {
		return err
	}
	if name == DefaultContext {
		return Errorf(srapi.CodeOperationNotPermitted, "The default context %q cannot be deleted", name)
	}
	if err := requireAll(ctx, PermAdmin, "Admin on every subject (needed to delete a context)"); err != nil {
		return err
	}
	err := s.store.InTx(ctx, func(ctx context.Context, tx Executor) error {
		if err := s.writable(ctx, tx, ContextPrefix(name)); err != nil {
			return err
		}
		if err := tx.ContextDelete(ctx, name); err != nil {
			return err
		}
		// Rare and wide (schemas, fingerprints, configs, modes of every
		// subject of the context): every process drops its caches.
		return tx.Notify(ctx, Change{Kind: ChangeReset})
	})
	switch {
	case errors.Is(err, ErrConflict):
		return Errorf(srapi.CodeOperationNotPermitted, "Context %q is not empty: delete its subjects permanently first", name)
	case errors.Is(err, ErrNotFound):
		return Errorf(srapi.CodeSubjectNotFound, "Context %q not found", name)
	case err != nil:
		return storeError(err)
	}
	s.apply(Change{Kind: ChangeReset})
	return nil
}
