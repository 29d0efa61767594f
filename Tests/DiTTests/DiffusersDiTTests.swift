// diffusers' DiTTransformer2DModel read onto the engine (DiffusersDiT.swift) against diffusers
// 0.42 itself on random small configs (Fixtures/diffusers-dit, training/make_diffusers_dit_fixtures.py),
// and the Hugging Face cache layout whose shards are links into blobs/.
import Foundation
import XCTest
@testable import DiT

final class DiffusersDiTTests: XCTestCase {
    static let dir: String = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/diffusers-dit").path

    struct Inputs: Decodable { var t: [Float]; var y: [Int] }

    func testForwardMatchesDiffusers() throws {
        for name in ["d2-sigma", "d3-eps", "pipeline"] {
            let root = "\(Self.dir)/\(name)"
            let model = try DiTModel(directory: root)
            XCTAssertEqual(model.config.format, .diffusers)
            XCTAssertEqual(model.weights.unusedKeys, [], name)
            let inputs = try JSONDecoder().decode(Inputs.self, from: Data(contentsOf: URL(fileURLWithPath: "\(root)/inputs.json")))
            let out = try model.forward(x: try NPY.read("\(root)/x.npy"), t: inputs.t, y: inputs.y)
            assertClose(out, try NPY.read("\(root)/out.npy"), relTol: 1e-4, name)
        }
        // The pipeline's id2label names the classes.
        let named = try DiTModel(directory: "\(Self.dir)/pipeline")
        XCTAssertEqual(named.config.classNames?[1], "golden retriever")
    }

    func testKeyTableCoversEveryParameter() throws {
        XCTAssertEqual(DiffusersDiT.diffusersKeys("blocks.11.attn.qkv.bias"),
                       ["transformer_blocks.11.attn1.to_q.bias", "transformer_blocks.11.attn1.to_k.bias", "transformer_blocks.11.attn1.to_v.bias"])
        XCTAssertEqual(DiffusersDiT.diffusersKeys("final_layer.linear.weight"), ["proj_out_2.weight"])
        XCTAssertNil(DiffusersDiT.diffusersKeys("pos_embed"))
        XCTAssertNil(DiffusersDiT.diffusersKeys("blocks.x.attn.qkv.bias"))
    }

    func testConfigRefusesOtherDesigns() throws {
        func refuse(_ json: String, field: String) {
            XCTAssertThrowsError(try DiffusersDiT.config(json: Data(json.utf8), file: "c.json")) { error in
                XCTAssertEqual((error as? DiTError)?.field, field, "\(error)")
            }
        }
        refuse(#"{"_class_name": "Transformer2DModel"}"#, field: "_class_name")
        refuse(#"{"norm_type": "ada_norm_single"}"#, field: "norm_type")
        refuse(#"{"in_channels": 4, "out_channels": 5}"#, field: "out_channels")
        refuse(#"{"num_layers": 2.5}"#, field: "num_layers")
        refuse(#"{"norm_eps": -1}"#, field: "norm_eps")
        let c = try DiffusersDiT.config(json: Data("{}".utf8), file: "c.json")   // diffusers' defaults: DiT-XL/2
        XCTAssertEqual([c.hiddenSize, c.depth, c.numHeads, c.inputSize, c.numClasses], [1152, 28, 16, 32, 1000])
        XCTAssertFalse(c.learnSigma)
        XCTAssertEqual(c.mlpNormEps, 1e-5)
    }

    /// ROOT/snapshots/REV/transformer/ holds links into ROOT/blobs/, as huggingface_hub caches a repo.
    func testHuggingFaceCacheLayoutLoads() throws {
        let fm = FileManager.default
        let root = NSTemporaryDirectory() + "dit-hf-\(ProcessInfo.processInfo.processIdentifier)/models--facebook--tiny"
        try? fm.removeItem(atPath: root)
        let snapshot = "\(root)/snapshots/0123abcd", blobs = "\(root)/blobs"
        let src = "\(Self.dir)/pipeline"
        try fm.createDirectory(atPath: "\(snapshot)/transformer", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: blobs, withIntermediateDirectories: true)
        for file in try fm.contentsOfDirectory(atPath: "\(src)/transformer") + ["../model_index.json"] {
            let blob = "\(blobs)/\(file.hashValue.magnitude)"
            try fm.copyItem(atPath: "\(src)/transformer/\(file)", toPath: blob)
            let link = file.hasPrefix("../") ? "\(snapshot)/model_index.json" : "\(snapshot)/transformer/\(file)"
            try fm.createSymbolicLink(atPath: link, withDestinationPath: file.hasPrefix("../") ? "../../blobs/\(file.hashValue.magnitude)" : "../../../blobs/\(file.hashValue.magnitude)")
        }
        let model = try DiTModel(directory: snapshot)
        XCTAssertGreaterThan(model.shards.count, 1)
        // Outside the cache's blobs/ a link is still refused.
        let stray = NSTemporaryDirectory() + "dit-hf-stray-\(ProcessInfo.processInfo.processIdentifier)"
        try? fm.removeItem(atPath: stray)
        try fm.createDirectory(atPath: stray, withIntermediateDirectories: true)
        let shard = try fm.contentsOfDirectory(atPath: "\(snapshot)/transformer").first { $0.hasSuffix("00001-of-00005.safetensors") }!
        try fm.copyItem(atPath: "\(src)/transformer/\(shard)", toPath: "\(stray)/\(shard)")
        try fm.removeItem(atPath: "\(snapshot)/transformer/\(shard)")
        try fm.createSymbolicLink(atPath: "\(snapshot)/transformer/\(shard)", withDestinationPath: "\(stray)/\(shard)")
        XCTAssertThrowsError(try DiTModel(directory: snapshot)) { error in
            XCTAssertTrue("\(error)".contains("outside the model directory"), "\(error)")
        }
    }
}
