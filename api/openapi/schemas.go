package openapi

// obj builds an object schema from its properties; required lists the
// properties always present.
func obj(props map[string]any, required ...string) map[string]any {
	s := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

func typ(t, description string) map[string]any {
	s := map[string]any{"type": t}
	if description != "" {
		s["description"] = description
	}
	return s
}

func arrayOf(items map[string]any) map[string]any {
	return map[string]any{"type": "array", "items": items}
}

func enum(description string, values ...string) map[string]any {
	vs := make([]any, len(values))
	for i, v := range values {
		vs[i] = v
	}
	return map[string]any{"type": "string", "enum": vs, "description": description}
}

// Schemas returns the named schemas of components.
func Schemas() map[string]any {
	grants := arrayOf(typ("string", `A grant "role:pattern": role reader, writer or admin; pattern a subject, a prefix ending in *, or * for all.`))
	level := enum("Compatibility level.", "NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE")
	position := obj(map[string]any{"line": typ("integer", ""), "column": typ("integer", "")})
	maxID := typ("integer", "The highest schema id assigned; only with fetchMaxId=true.")
	schemaFields := func(extra map[string]any) map[string]any {
		props := map[string]any{
			"schema":     typ("string", "The schema text."),
			"schemaType": enum("Always sent by this registry (AVRO included, as Confluent 8 does); absent means AVRO in requests.", "AVRO", "PROTOBUF", "JSON"),
			"references": arrayOf(ref("SchemaReference")),
			"metadata":   ref("Metadata"),
			"ruleSet":    ref("RuleSet"),
		}
		for k, v := range extra {
			props[k] = v
		}
		return props
	}
	contracts := map[string]any{
		"alias":              typ("string", "A subject this subject reads and writes through: reads, registrations, lookups and compatibility checks on this subject act on the alias (one step, never followed further). An empty string clears it; an alias to itself or closing a cycle is 42203."),
		"validateFields":     typ("boolean", "Check reserved fields: a field named in the confluent:reserved metadata property may not be a top-level field, and may not leave the reserved list (409)."),
		"compatibilityGroup": typ("string", "A metadata property: a new schema is checked only against versions whose property has the same value."),
		"defaultMetadata":    ref("Metadata"),
		"overrideMetadata":   ref("Metadata"),
		"defaultRuleSet":     ref("RuleSet"),
		"overrideRuleSet":    ref("RuleSet"),
	}
	withContracts := func(props map[string]any) map[string]any {
		for k, v := range contracts {
			props[k] = v
		}
		return props
	}
	return map[string]any{
		"ErrorResponse": obj(map[string]any{
			"error_code": typ("integer", "Confluent error code, e.g. 40401 subject not found, 40101 unauthenticated, 40301 forbidden."),
			"message":    typ("string", ""),
		}, "error_code", "message"),
		"Empty":                  typ("object", ""),
		"Int":                    typ("integer", ""),
		"IntList":                arrayOf(typ("integer", "")),
		"StringList":             arrayOf(typ("string", "")),
		"SchemaReference":        obj(map[string]any{"name": typ("string", ""), "subject": typ("string", ""), "version": typ("integer", "")}, "name", "subject", "version"),
		"SchemaByID":             obj(schemaFields(map[string]any{"maxId": maxID}), "schema"),
		"SubjectVersionPair":     obj(map[string]any{"subject": typ("string", ""), "version": typ("integer", "")}, "subject", "version"),
		"SubjectVersionPairList": arrayOf(ref("SubjectVersionPair")),
		"SubjectVersion": obj(schemaFields(map[string]any{
			"subject": typ("string", ""), "version": typ("integer", ""), "id": typ("integer", "The schema's global id."),
		}), "subject", "version", "id", "schema"),
		"SubjectVersionList": arrayOf(ref("SubjectVersion")),
		"RegisterRequest": obj(schemaFields(map[string]any{
			"id":      typ("integer", "Explicit id (IMPORT mode only)."),
			"version": typ("integer", "Explicit version (IMPORT mode only)."),
		}), "schema"),
		"RegisterResponse": obj(schemaFields(map[string]any{
			"id":      typ("integer", "The schema's global id."),
			"version": typ("integer", "The subject version the schema is (Confluent 8 answers it; older registries do not)."),
		}), "id"),
		"Finding": obj(map[string]any{
			"ruleId":       typ("string", "Stable rule ID, e.g. AVRO_FIELD_REMOVED."),
			"severity":     enum("", "error", "warning"),
			"path":         typ("string", "Schema path of the element concerned."),
			"message":      typ("string", ""),
			"version":      typ("integer", "The earlier version compared with."),
			"direction":    typ("string", ""),
			"new":          position,
			"old":          position,
			"consumer":     typ("string", "The registered consumer a consumer finding concerns."),
			"newEnclosing": typ("boolean", "The element was removed: new locates the element that enclosed it (its record or message)."),
		}, "ruleId", "severity", "message"),
		"CompatibilityResponse": obj(map[string]any{
			"is_compatible": typ("boolean", ""),
			"messages":      arrayOf(typ("string", "")),
			"findings":      arrayOf(ref("Finding")),
			"truncated":     typ("integer", "How many findings were left out to keep the answer bounded (at most 1,000 are listed, errors first); absent when none were."),
		}, "is_compatible"),
		"ConfigResponse": obj(withContracts(map[string]any{
			"compatibilityLevel": level,
			"additiveOnly":       typ("boolean", "The additive-only (deprecate, don't delete) policy."),
			"normalize":          typ("boolean", ""),
			"minDeprecationDays": typ("integer", ""),
			"consumerBreakage":   enum("", "reject", "warn"),
		})),
		"ConfigRequest": obj(withContracts(map[string]any{
			"compatibility":      level,
			"compatibilityLevel": level,
			"additiveOnly":       typ("boolean", ""),
			"normalize":          typ("boolean", ""),
			"minDeprecationDays": typ("integer", ""),
			"consumerBreakage":   enum("", "reject", "warn"),
		})),
		"Metadata": obj(map[string]any{
			"tags":       typ("object", "Schema path to the tags on it, e.g. {\"Order.email\": [\"PII\"]}."),
			"properties": typ("object", "Free string properties; confluent:reserved lists reserved field names, comma-separated."),
			"sensitive":  arrayOf(typ("string", "")),
		}),
		"RuleSet": obj(map[string]any{
			"migrationRules": arrayOf(ref("Rule")),
			"domainRules":    arrayOf(ref("Rule")),
			"encodingRules":  arrayOf(ref("Rule")),
		}),
		"Rule": obj(map[string]any{
			"name":      typ("string", "Unique in the rule set: a letter or _, then letters, digits or _."),
			"doc":       typ("string", ""),
			"kind":      enum("TRANSFORM when absent.", "CONDITION", "TRANSFORM"),
			"mode":      enum("WRITEREAD when absent; migration rules take the first three.", "UPGRADE", "DOWNGRADE", "UPDOWN", "WRITE", "READ", "WRITEREAD"),
			"type":      typ("string", "The executor, e.g. CEL."),
			"tags":      arrayOf(typ("string", "")),
			"params":    typ("object", ""),
			"expr":      typ("string", ""),
			"onSuccess": typ("string", ""),
			"onFailure": typ("string", ""),
			"disabled":  typ("boolean", ""),
		}, "name", "type"),
		"Mode": obj(map[string]any{"mode": enum("", "READWRITE", "READONLY", "READONLY_OVERRIDE", "IMPORT")}, "mode"),
		"ServerID": obj(map[string]any{
			"scope": obj(map[string]any{"path": arrayOf(typ("string", "")), "clusters": typ("object", "")}),
			"id":    typ("string", ""),
		}, "id"),
		"ServerVersion": obj(map[string]any{"version": typ("string", ""), "commitId": typ("string", "")}, "version", "commitId"),
		"HealthStatus": obj(map[string]any{
			"status": enum("", "ok", "unavailable"),
			"checks": typ("object", "Each readiness check: ok or failed."),
		}, "status"),
		"Whoami": obj(map[string]any{
			"name": typ("string", ""), "method": enum("", "basic", "token", "mtls", "anonymous"),
			"tokenId": typ("string", ""), "grants": grants,
		}, "name", "method", "grants"),
		"TokenInfo": obj(map[string]any{
			"id": typ("string", ""), "name": typ("string", ""), "grants": grants,
			"createdBy": typ("string", ""), "createdAt": typ("string", ""),
			"expiresAt": typ("string", ""), "revokedAt": typ("string", ""),
			"token": typ("string", "The secret: only in the answer that creates the token."),
		}, "id", "name", "grants", "createdAt"),
		"TokenInfoList": arrayOf(ref("TokenInfo")),
		"CreateTokenRequest": obj(map[string]any{
			"name": typ("string", ""), "grants": grants,
			"ttl": typ("string", "Lifetime as a Go duration, e.g. 720h; absent for no expiry."),
		}, "name", "grants"),
		"UserInfo": obj(map[string]any{
			"name": typ("string", ""), "grants": grants, "source": enum("", "config", "database"),
			"createdAt": typ("string", ""), "updatedAt": typ("string", ""),
		}, "name", "grants", "source"),
		"Consumer": obj(map[string]any{
			"name": typ("string", ""), "owner": typ("string", "The owning team, named in findings."),
			"labels": typ("object", ""), "reads": arrayOf(ref("ConsumerRead")),
			"createdAt": typ("string", ""), "updatedAt": typ("string", ""),
		}, "name", "owner", "reads"),
		"ConsumerList": arrayOf(ref("Consumer")),
		"ConsumerRead": obj(map[string]any{
			"subject": typ("string", ""), "schemaType": enum("", "AVRO", "PROTOBUF", "JSON"),
			"schema":     typ("string", "The consumer's reader schema."),
			"references": arrayOf(ref("SchemaReference")),
			"message":    typ("string", "Protobuf message full name."),
			"fields":     arrayOf(typ("string", "A field path the consumer uses.")),
			"backfill":   typ("string", "How far back the consumer may re-read, e.g. 720h."),
		}, "subject"),
		"BackfillReport": obj(map[string]any{
			"consumer": typ("string", ""), "owner": typ("string", ""), "compatible": typ("boolean", ""),
			"subjects": arrayOf(obj(map[string]any{
				"subject": typ("string", ""), "window": typ("string", ""), "since": typ("string", ""),
				"versions": arrayOf(obj(map[string]any{
					"version": typ("integer", ""), "id": typ("integer", ""), "deleted": typ("boolean", ""), "registeredAt": typ("string", ""),
				})),
				"findings":  arrayOf(ref("Finding")),
				"truncated": typ("integer", "How many findings of this subject were left out to keep the answer bounded (at most 1,000 over all subjects, errors first); absent when none were."),
			})),
		}, "consumer", "compatible", "subjects"),
		"Deprecation": obj(map[string]any{
			"id": typ("integer", ""), "subject": typ("string", ""), "path": typ("string", "A field path; absent for a version or subject."),
			"version": typ("integer", ""), "scope": typ("string", ""), "reason": typ("string", ""),
			"sunset": typ("string", "Date after which the element may be removed."), "replacement": typ("string", ""),
			"since": typ("string", ""),
		}, "subject"),
		"DeprecationList": arrayOf(ref("Deprecation")),
		"DeprecationReport": obj(map[string]any{
			"generatedAt": typ("string", ""), "usageDays": typ("integer", ""),
			"items": arrayOf(obj(map[string]any{
				"subject": typ("string", ""), "path": typ("string", ""), "version": typ("integer", ""),
				"kind": typ("string", ""), "source": typ("string", ""), "recordId": typ("integer", ""),
				"reason": typ("string", ""), "replacement": typ("string", ""), "since": typ("string", ""),
				"sunset": typ("string", ""), "removableFrom": typ("string", ""), "daysLeft": typ("integer", ""),
				"overdue": typ("boolean", ""), "status": enum("", "deprecated", "overdue", "removable"),
				"consumers": arrayOf(obj(map[string]any{"name": typ("string", ""), "owner": typ("string", "")})),
				"clients": arrayOf(obj(map[string]any{
					"identity": typ("string", ""), "count": typ("integer", ""), "lastSeen": typ("string", ""),
					"schemaIds": arrayOf(typ("integer", "")),
				})),
			})),
		}, "generatedAt", "items"),
		"UserInfoList":   arrayOf(ref("UserInfo")),
		"PutUserRequest": obj(map[string]any{"password": typ("string", ""), "grants": grants}, "password", "grants"),
	}
}
