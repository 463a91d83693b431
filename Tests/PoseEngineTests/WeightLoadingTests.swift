import Foundation
import Testing
@testable import PoseEngine

/// A two-parameter module named the way diffusers would name a projection.
private final class ProjectionModule: ParameterVisitable {
    let weight: Parameter
    let bias: Parameter

    init(weight: [Float] = [1, 2, 3, 4, 5, 6], bias: [Float] = [7, 8]) {
        self.weight = Parameter(Tensor(shape: [2, 3], scalars: weight))
        self.bias = Parameter(Tensor(shape: [2], scalars: bias))
    }

    static func zeros() -> ProjectionModule {
        ProjectionModule(weight: [Float](repeating: 0, count: 6), bias: [0, 0])
    }

    func visitParameters(_ visit: (String, Parameter) -> Void) {
        visit("proj.weight", weight)
        visit("proj.bias", bias)
    }
}

@Suite struct WeightLoadingTests {
    let scratch: SafeTensorsScratch

    init() throws {
        scratch = try SafeTensorsScratch()
    }

    private func archive(_ tensors: [(name: String, tensor: Tensor)]) throws -> SafeTensorsArchive {
        let path = scratch.path("weights.safetensors")
        try SafeTensors.write(tensors, to: path)
        return try SafeTensors.read(path)
    }

    private func expectUnchanged(_ module: ProjectionModule, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(module.weight.value.scalars.allSatisfy { $0 == 0 }, sourceLocation: sourceLocation)
        #expect(module.bias.value.scalars.allSatisfy { $0 == 0 }, sourceLocation: sourceLocation)
    }

    @Test(arguments: SafeTensorsDType.allCases)
    func saveThenLoad(_ dtype: SafeTensorsDType) throws {
        let path = scratch.path("projection.safetensors")
        try saveWeights(of: ProjectionModule(), to: path, metadata: ["format": "pt"], dtype: dtype)

        let archive = try SafeTensors.read(path)
        #expect(archive.names == ["proj.weight", "proj.bias"])
        #expect(archive.metadata == ["format": "pt"])
        let loaded = ProjectionModule.zeros()
        let unused = try loadWeights(into: loaded, from: archive)
        #expect(unused.isEmpty)
        #expect(loaded.weight.value == ProjectionModule().weight.value)
        #expect(loaded.bias.value == ProjectionModule().bias.value)
    }

    @Test func missingParameter() throws {
        let archive = try archive([("proj.weight", Tensor(zeros: [2, 3]))])
        let module = ProjectionModule.zeros()
        let error = #expect(throws: WeightLoadingError.self) { try loadWeights(into: module, from: archive) }
        #expect(error?.missing == ["proj.bias"])
        #expect(error?.description.contains(archive.path) == true)
        #expect(error?.description.contains("1 missing (proj.bias)") == true)
    }

    @Test func unexpectedTensorWhenStrict() throws {
        let module = ProjectionModule.zeros()
        let archive = try archive([
            ("proj.weight", Tensor(shape: [2, 3], repeating: 1)), ("proj.bias", Tensor(zeros: [2])),
            ("extra.weight", Tensor(zeros: [1])),
        ])
        let error = #expect(throws: WeightLoadingError.self) { try loadWeights(into: module, from: archive) }
        #expect(error?.unexpected == ["extra.weight"])
        #expect(error?.description.contains("1 unexpected (extra.weight)") == true)
        expectUnchanged(module)
    }

    @Test func unexpectedTensorWhenLenient() throws {
        let module = ProjectionModule.zeros()
        let archive = try archive([
            ("proj.weight", Tensor(shape: [2, 3], repeating: 1)), ("proj.bias", Tensor(zeros: [2])),
            ("extra.weight", Tensor(zeros: [1])),
        ])
        let unused = try loadWeights(into: module, from: archive, strict: false)
        #expect(unused == ["extra.weight"])
        #expect(module.weight.value == Tensor(shape: [2, 3], repeating: 1))
    }

    @Test func wrongShape() throws {
        let module = ProjectionModule.zeros()
        let archive = try archive([("proj.weight", Tensor(zeros: [3, 2])), ("proj.bias", Tensor(zeros: [2]))])
        let error = #expect(throws: WeightLoadingError.self) { try loadWeights(into: module, from: archive) }
        #expect(error?.wrongShape == [.init(name: "proj.weight", expected: [2, 3], found: [3, 2])])
        #expect(error?.description.contains("proj.weight: expected [2, 3], found [3, 2]") == true)
    }

    @Test func nonFiniteValues() throws {
        let module = ProjectionModule.zeros()
        let archive = try archive([
            ("proj.weight", Tensor(shape: [2, 3], scalars: [0, 0, .nan, 0, 0, 0])),
            ("proj.bias", Tensor(shape: [2], scalars: [1, .infinity])),
        ])
        let error = #expect(throws: WeightLoadingError.self) { try loadWeights(into: module, from: archive) }
        #expect(error?.nonFinite == ["proj.weight", "proj.bias"])
        expectUnchanged(module)
    }

    @Test func everyProblemInOneMessage() throws {
        final class WideModule: ParameterVisitable {
            let parameters = (0..<8).map { _ in Parameter(Tensor(zeros: [1])) }
            func visitParameters(_ visit: (String, Parameter) -> Void) {
                for (i, parameter) in parameters.enumerated() { visit("layers.\(i).weight", parameter) }
            }
        }
        let archive = try archive([("stray", Tensor(zeros: [1]))])
        let error = #expect(throws: WeightLoadingError.self) { try loadWeights(into: WideModule(), from: archive) }
        let message = error?.description ?? ""
        #expect(message.contains("8 missing (layers.0.weight, layers.1.weight, layers.2.weight, layers.3.weight, layers.4.weight and 3 more)"))
        #expect(message.contains("1 unexpected (stray)"))
    }

    @Test func loadingFromAPath() throws {
        let path = scratch.path("by-path.safetensors")
        try saveWeights(of: ProjectionModule(), to: path)
        let module = ProjectionModule.zeros()
        try loadWeights(into: module, fromFile: path)
        #expect(module.bias.value == Tensor(shape: [2], scalars: [7, 8]))
    }
}
