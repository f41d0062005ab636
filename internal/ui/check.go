package ui

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"io"
	"net/http"
	"path"
	"strings"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/internal/cli/report"
	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/srapi"
)

// formatAuto asks the Check page to guess the format from the file name
// and the text.
const formatAuto = "auto"

// pastedName is the file name a pasted schema is reported under, with
// its format's usual extension.
const pastedName = "pasted"

// checkPage is the data of the Check page.
type checkPage struct {
	Subject string
	Format  string
	Text    string
	Formats []schema.Format
	// CanCheck is false when the caller may not run checks at all.
	CanCheck bool
	Result   *checkResult
}

// checkResult is a check's outcome as `schemactl check` reports it.
type checkResult struct {
	Subject report.Subject
	// Text is the report in schemactl's text format, byte for byte.
	Text string
	// Lines is the submitted schema with the findings on their lines.
	Lines []checkLine
	// Unplaced are the findings without a position in the submitted text.
	Unplaced []report.Finding
	// Plain reports that the schema is shown without highlighting, being
	// larger than plainTextAbove.
	Plain bool
}

// checkLine is one line of the submitted schema.
type checkLine struct {
	No       int
	HTML     template.HTML
	Findings []report.Finding
	Severity string
}

// checkForm serves GET /ui/check: the form, with the subject query
// parameter preselected.
func (h *handler) checkForm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := h.opts.Authorizer(ctx, Read, ""); err != nil {
		return err
	}
	p := &checkPage{
		Subject: r.URL.Query().Get("subject"), Format: formatAuto,
		Formats: []schema.Format{schema.Avro, schema.Protobuf}, CanCheck: h.can(ctx, Write, ""),
	}
	h.render(w, r, http.StatusOK, "check", p)
	return nil
}

// check serves POST /ui/check (form fields subject, format, schema, or a
// file upload named file): it checks the schema against the subject as a
// registration would, without registering, and reports the verdict and
// located findings exactly as `schemactl check` does. It needs the writer
// role on the subject.
func (h *handler) check(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, h.opts.MaxSchemaBytes+64<<10)
	if err := parseForm(r, h.opts.MaxSchemaBytes); err != nil {
		return err
	}
	p := &checkPage{
		Subject: strings.TrimSpace(r.FormValue("subject")), Format: r.FormValue("format"),
		Text: r.FormValue("schema"), Formats: []schema.Format{schema.Avro, schema.Protobuf, schema.JSON}, CanCheck: true,
	}
	file := ""
	if f, hdr, err := r.FormFile("file"); err == nil {
		defer f.Close()
		body, err := io.ReadAll(io.LimitReader(f, h.opts.MaxSchemaBytes+1))
		if err != nil {
			return badRequest("The uploaded file could not be read.")
		}
		if len(body) > 0 {
			p.Text, file = string(body), path.Base(hdr.Filename)
		}
	}
	switch {
	case p.Subject == "":
		return h.checkInvalid(w, r, p, "Pick the subject to check against.")
	case registry.ValidateSubject(p.Subject) != nil:
		return h.checkInvalid(w, r, p, "The subject is not a valid subject name: it holds a control character (a NUL byte, say) or invalid UTF-8.")
	case !srapi.Encodable(p.Text) || !srapi.Encodable(p.Format):
		return h.checkInvalid(w, r, p, "The schema holds a NUL byte or invalid UTF-8; schemas are UTF-8 text.")
	case strings.TrimSpace(p.Text) == "":
		return h.checkInvalid(w, r, p, "Paste a schema or choose a file.")
	case int64(len(p.Text)) > h.opts.MaxSchemaBytes:
		return h.checkInvalid(w, r, p, "The schema is larger than this registry accepts.")
	}
	if err := h.opts.Authorizer(ctx, Write, p.Subject); err != nil {
		return err
	}
	format, err := pickFormat(p.Format, file, p.Text, h.registeredFormat(ctx, p.Subject))
	if err != nil {
		return h.checkInvalid(w, r, p, err.Error())
	}
	if file == "" {
		switch format {
		case schema.Protobuf:
			file = pastedName + ".proto"
		case schema.JSON:
			file = pastedName + ".json"
		default:
			file = pastedName + ".avsc"
		}
	}
	sub, err := h.runCheck(r, p.Subject, format, p.Text, file)
	if err != nil {
		return err
	}
	p.Result = newCheckResult(sub, format, p.Text)
	h.render(w, r, http.StatusOK, "check", p)
	return nil
}

// checkInvalid shows the form again with a message about what is missing.
func (h *handler) checkInvalid(w http.ResponseWriter, r *http.Request, p *checkPage, msg string) error {
	p.Result = &checkResult{Subject: report.Subject{Status: report.StatusError, Message: msg}}
	h.render(w, r, http.StatusUnprocessableEntity, "check", p)
	return nil
}

// runCheck builds the report entry of one subject the way `schemactl
// check` does against a registry: invalid when the schema does not parse
// (its finding located), new when the subject has no live version yet,
// else compatible or incompatible with the findings sorted by position.
func (h *handler) runCheck(r *http.Request, subject string, format schema.Format, text, file string) (report.Subject, error) {
	ctx := r.Context()
	sub := report.Subject{Subject: subject, File: file, Format: string(format)}
	res, err := h.svc.CheckCompatibility(ctx, registry.CompatibilityParams{
		Subject: subject, Schema: registry.SchemaInput{Format: format, Text: text},
	})
	var de *registry.Error
	switch {
	case errors.As(err, &de) && de.Code == srapi.CodeInvalidSchema:
		sub.Status = report.StatusInvalid
		sub.Findings = []report.Finding{invalidFinding(err, de)}
		return sub, nil
	case err != nil:
		return sub, err
	}
	history, err := h.svc.VersionHistory(ctx, subject)
	switch {
	case errors.As(err, &de) && de.Code == srapi.CodeSubjectNotFound:
		history = nil
	case err != nil:
		return sub, err
	}
	if latestLiveOrZero(history) == 0 {
		sub.Status, sub.Message = report.StatusNew, "the subject is not registered yet"
		return sub, nil
	}
	for _, f := range res.Findings {
		sub.Findings = append(sub.Findings, report.FromCompat(f))
	}
	sub.Truncated = res.Truncated
	report.Sort(sub.Findings)
	sub.Status = report.StatusCompatible
	if !res.Compatible() {
		sub.Status = report.StatusIncompatible
	}
	return sub, nil
}

func latestLiveOrZero(history []registry.SubjectVersion) int {
	for i := len(history) - 1; i >= 0; i-- {
		if !history[i].Deleted {
			return history[i].Version
		}
	}
	return 0
}

// invalidFinding locates a parse error as schemactl does.
func invalidFinding(err error, de *registry.Error) report.Finding {
	f := report.Finding{RuleID: report.RuleSchemaInvalid, Severity: compat.Error, Message: de.Message}
	var pe *schema.ParseError
	if errors.As(err, &pe) {
		f.Message, f.Line, f.Column = pe.Error(), pe.Pos.Line, pe.Pos.Column
	}
	return f
}

// newCheckResult renders the report text and places the findings on the
// submitted lines.
func newCheckResult(sub report.Subject, format schema.Format, text string) *checkResult {
	var buf bytes.Buffer
	rep := &report.Report{Command: "check", Against: "registry", Subjects: []report.Subject{sub}}
	// Writing to a buffer cannot fail.
	_ = report.Write(&buf, rep, report.Text, report.Options{})
	res := &checkResult{Subject: sub, Text: buf.String()}
	lines, plain := displayLines(format, text)
	res.Plain = plain
	for i, l := range lines {
		res.Lines = append(res.Lines, checkLine{No: i + 1, HTML: l})
	}
	for _, f := range sub.Findings {
		if f.Line < 1 || f.Line > len(res.Lines) {
			res.Unplaced = append(res.Unplaced, f)
			continue
		}
		line := &res.Lines[f.Line-1]
		line.Findings = append(line.Findings, f)
		if line.Severity != string(compat.Error) {
			line.Severity = string(f.Severity)
		}
	}
	return res
}

// pickFormat resolves the format field; "auto" looks at the file name,
// then at the text (Protobuf files declare a syntax, messages or a
// package; Avro schemas and JSON Schemas are JSON). JSON text, which may
// be either, takes the format of the subject's registered versions
// (registered, "" when none), else JSON Schema when it names a "$schema",
// else Avro.
func pickFormat(field, file, text string, registered schema.Format) (schema.Format, error) {
	if field != "" && field != formatAuto {
		return schema.ParseFormat(field)
	}
	switch strings.ToLower(path.Ext(file)) {
	case ".proto":
		return schema.Protobuf, nil
	case ".avsc":
		return schema.Avro, nil
	}
	t := strings.TrimSpace(text)
	if !strings.HasPrefix(t, "{") && !strings.HasPrefix(t, "[") && !strings.HasPrefix(t, `"`) && t != "true" && t != "false" {
		return schema.Protobuf, nil
	}
	switch {
	case registered == schema.JSON || registered == schema.Avro:
		return registered, nil
	case strings.Contains(t, `"$schema"`):
		return schema.JSON, nil
	}
	return schema.Avro, nil
}

// registeredFormat returns the format of the subject's latest live
// version, or "" when there is none (or it cannot be read: the check
// itself then reports why).
func (h *handler) registeredFormat(ctx context.Context, subject string) schema.Format {
	history, err := h.svc.VersionHistory(ctx, subject)
	if err != nil {
		return ""
	}
	for i := len(history) - 1; i >= 0; i-- {
		if v := history[i]; !v.Deleted && v.Schema != nil {
			return v.Schema.Format
		}
	}
	return ""
}

// parseForm parses a urlencoded or multipart body.
func parseForm(r *http.Request, maxMemory int64) error {
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(maxMemory)
	} else {
		err = r.ParseForm()
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &pageError{status: http.StatusRequestEntityTooLarge, message: "The schema is larger than this registry accepts."}
	}
	if err != nil {
		return badRequest("The form could not be read.")
	}
	return nil
}
