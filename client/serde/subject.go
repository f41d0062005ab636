package serde

// SubjectNameStrategy names the subject a serializer's schema lives
// under, from the topic written to, the full name of the record (the
// Avro record or Protobuf message) and whether the bytes are a message
// key or value. It is called once per topic and the answer kept.
type SubjectNameStrategy func(topic, record string, key bool) string

// TopicName is the default strategy: "<topic>-value" or "<topic>-key".
// One schema (and its evolutions) per topic.
func TopicName(topic, _ string, key bool) string {
	if key {
		return topic + "-key"
	}
	return topic + "-value"
}

// RecordName uses the record's full name, so one record type evolves
// under one subject whatever topics carry it.
func RecordName(_, record string, _ bool) string { return record }

// TopicRecordName uses "<topic>-<record>", so a topic may carry several
// record types, each evolving on its own.
func TopicRecordName(topic, record string, _ bool) string { return topic + "-" + record }
