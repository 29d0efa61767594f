// Errors on bad input: every case names the file (or flag), the field and what was expected,
// so a person can fix the input without reading the source.

public struct DiTError: Error, CustomStringConvertible, Equatable {
    public var file: String     // the file or command-line flag at fault
    public var field: String    // the key, header field or value at fault ("" when the whole file)
    public var problem: String  // what was found and what was expected

    public init(file: String, field: String = "", _ problem: String) {
        self.file = file
        self.field = field
        self.problem = problem
    }

    public var description: String {
        field.isEmpty ? "\(file): \(problem)" : "\(file): \(field): \(problem)"
    }
}
