// `Diagnostic` (the one message type, in `Diagnostics`) and `JSONValue` (the deterministic writer, in `JSON` with
// the reader) sit below Reporting, which renders them; code that imports `Reporting` for findings and reports keeps
// seeing both without a second import.
@_exported import Diagnostics
@_exported import JSON
