// The VAE's buffers (llama2.c's RunState habit, for feature maps whose size depends on the
// image): named slots that grow to the largest size asked for and are then reused, so after the
// first image of a size no forward pass allocates. Growing keeps a slot's contents.

final class VAEScratch {
    enum Slot: Int, CaseIterable {
        case a, b          // the feature map flowing through the network, ping-pong (C, H·W)
        case t1, t2, t3    // inside a block: normalised input, conv outputs, q / k / v, the upsampled map
        case columns       // im2col bands, one per core
        case scores        // attention scores, a band of query rows per core
    }

    private var buffers: [UnsafeMutablePointer<Float>]
    private var capacity: [Int]

    init() {
        buffers = Slot.allCases.map { _ in .allocate(capacity: 1) }
        capacity = Slot.allCases.map { _ in 1 }
    }

    deinit { buffers.forEach { $0.deallocate() } }

    /// At least `count` floats of `slot`, its old contents kept.
    func callAsFunction(_ slot: Slot, _ count: Int) -> UnsafeMutablePointer<Float> {
        let i = slot.rawValue
        if count > capacity[i] {
            let grown = UnsafeMutablePointer<Float>.allocate(capacity: count)
            grown.update(from: buffers[i], count: capacity[i])
            buffers[i].deallocate()
            buffers[i] = grown; capacity[i] = count
        }
        return buffers[i]
    }

    /// Floats held, for reporting memory.
    var floatCount: Int { capacity.reduce(0, +) }
}

/// The feature map flowing through the encoder or decoder: each stage reads the current slot
/// (a or b) and writes the other, which then becomes current.
struct FeatureFlow {
    let scratch: VAEScratch
    private(set) var current = VAEScratch.Slot.a
    var height: Int, width: Int, channels: Int

    /// Input x (C, h, w) into slot a.
    init(_ scratch: VAEScratch, _ x: UnsafePointer<Float>, channels: Int, height: Int, width: Int) {
        self.scratch = scratch; self.channels = channels; self.height = height; self.width = width
        scratch(.a, channels * height * width).update(from: x, count: channels * height * width)
    }

    var data: UnsafeMutablePointer<Float> { scratch(current, 1) }

    /// One stage: body(x (C, h, w), y, h, w) writes y of the new shape (c, height, width).
    mutating func step(channels c: Int, height h: Int? = nil, width w: Int? = nil,
                       _ body: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int, Int) -> Void) {
        let next: VAEScratch.Slot = current == .a ? .b : .a
        let (nh, nw) = (h ?? height, w ?? width)
        let y = scratch(next, c * nh * nw)
        body(scratch(current, 1), y, height, width)
        current = next; channels = c; height = nh; width = nw
    }
}
