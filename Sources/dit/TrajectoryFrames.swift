// `dit view` of a trajectory: the (frames, N, C, H, W) array `dit sample --trajectory` writes
// (x_T, then x after every step). Shown as a grid with one row per sample and up to
// `maxColumns` frames evenly spaced from x_T to the last, both ends always in (--index: one
// sample's row).
import DiT
import Foundation

enum TrajectoryFrames {
    static let maxColumns = 10

    /// Up to `maxColumns` frame indices of `count`, evenly spaced, the first and the last included.
    static func picked(_ count: Int) -> [Int] {
        let k = min(count, maxColumns)
        return k == 1 ? [0] : (0..<k).map { $0 * (count - 1) / (k - 1) }
    }

    /// The frames to show of a (F, N, C, H, W) array as (rows × columns, C, H, W), sample by
    /// sample, and the number of columns; `index` keeps sample `index` only.
    static func grid(_ x: Tensor, index: Int?, file: String) throws -> (images: Tensor, columns: Int) {
        let s = x.shape
        guard s.count == 5 else { throw DiTError(file: file, field: "shape", "expected (frames, N, C, H, W), found \(s)") }
        let (frames, n) = (s[0], s[1]), one = s[2] * s[3] * s[4]
        if let index, index >= n {
            throw DiTError(file: file, field: "--index", "expected 0…\(n - 1) for the trajectory's \(n) sample(s) of shape \(s), found \(index)")
        }
        let rows = index.map { [$0] } ?? Array(0..<n), columns = picked(frames)
        let images = Tensor([rows.count * columns.count] + s.dropFirst(2))
        for (r, sample) in rows.enumerated() {
            for (c, frame) in columns.enumerated() {
                (images.data + (r * columns.count + c) * one).update(from: x.data + (frame * n + sample) * one, count: one)
            }
        }
        let note = "\(file): trajectory of \(frames) frames (x_T first): frames \(columns.map(String.init).joined(separator: ", ")) left to right, "
            + (index.map { "sample \($0)" } ?? "one row per sample") + "\n"
        FileHandle.standardError.write(Data(note.utf8))
        return (images, columns.count)
    }
}
