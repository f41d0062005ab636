// Package protobuf is the Protobuf format layer of the registry: it compiles
// schema text (with its Confluent references) into linked descriptors,
// validates it, renders the identity and normalized forms, reads deprecation
// markers and indexes element positions for located findings.
//
// Paths name elements by their Protobuf full name: "shop.v1.Order" (message),
// "shop.v1.Order.items" (field or oneof), "shop.v1.Status" (enum) and, unlike
// Protobuf's own scoping, "shop.v1.Status.STATUS_OLD" for enum values, so
// that every element of an enum sits under the enum's path.
//
// Every parse runs within schema.Limits (ParseWithLimits; Parse applies the
// defaults): text size and bracket nesting are checked by a linear scan
// before the compiler sees the text, because the compiler's cost grows
// with the square of the depth of nested message literals; counts are
// checked before the printed forms are rendered. The printer writes every
// form into one builder, so its cost is linear in the schema.
//
// It depends on the schema vocabulary package and on the Protobuf libraries
// (protocompile, google.golang.org/protobuf) only; it must not depend on
// compat, registry, storage or transport packages.
package protobuf
