// `JSONValue` (the deterministic writer) lives in the `JSON` module with the reader; code that imports
// `Reporting` for findings and reports keeps seeing it without a second import.
@_exported import JSON
