/// Copies the tensors of a safetensors archive into a module's parameters,
/// matched by their diffusers-style dotted names.
///
/// Everything is checked before anything is assigned: every parameter must be
/// present with its exact shape and finite values, and, when `strict`, the
/// archive must hold nothing else. On any problem the module is left as it
/// was and a `WeightLoadingError` lists all of them.
///
/// - Returns: the names of archive tensors the module did not use (always
///   empty when `strict`).
@discardableResult
public func loadWeights(into module: ParameterVisitable, from archive: SafeTensorsArchive, strict: Bool = true) throws -> [String] {
    let parameters = module.namedParameters()
    let parameterNames = Set(parameters.map(\.name))
    let unexpected = archive.names.filter { !parameterNames.contains($0) }

    var missing: [String] = []
    var wrongShape: [WeightLoadingError.ShapeMismatch] = []
    var loadable: [String] = []
    for (name, parameter) in parameters {
        guard let entry = archive.entry(named: name) else {
            missing.append(name)
            continue
        }
        guard entry.shape == parameter.shape else {
            wrongShape.append(.init(name: name, expected: parameter.shape, found: entry.shape))
            continue
        }
        loadable.append(name)
    }

    // Values are read and checked even when names or shapes already failed,
    // so that the one error reports every problem.
    let tensors = try archive.tensors(named: loadable)
    let nonFinite = loadable.filter { name in
        tensors[name]?.scalars.contains { !$0.isFinite } ?? false
    }
    let reportedUnexpected = strict ? unexpected : []
    guard missing.isEmpty, wrongShape.isEmpty, nonFinite.isEmpty, reportedUnexpected.isEmpty else {
        throw WeightLoadingError(path: archive.path, missing: missing, unexpected: reportedUnexpected,
                                 wrongShape: wrongShape, nonFinite: nonFinite)
    }

    for (name, parameter) in parameters {
        if let tensor = tensors[name] {
            parameter.value = tensor
        }
    }
    return unexpected
}

/// Reads `path` and loads it into `module`; see `loadWeights(into:from:strict:)`.
@discardableResult
public func loadWeights(into module: ParameterVisitable, fromFile path: String, strict: Bool = true) throws -> [String] {
    try loadWeights(into: module, from: SafeTensors.read(path), strict: strict)
}

/// Writes a module's parameters, named as `visitParameters` names them and
/// in that order, to a safetensors file, atomically.
public func saveWeights(
    of module: ParameterVisitable,
    to path: String,
    metadata: [String: String] = [:],
    dtype: SafeTensorsDType = .f32
) throws(SafeTensorsError) {
    let tensors = module.namedParameters().map { (name: $0.name, tensor: $0.parameter.value) }
    try SafeTensors.write(tensors, to: path, metadata: metadata, dtype: dtype)
}
