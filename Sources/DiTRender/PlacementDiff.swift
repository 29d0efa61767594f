// What a backend with a pixel protocol does after painting the cells, worked out from what is
// on screen and what the new canvas wants: pure, so it is tested without a terminal. kitty keeps
// images in a layer of their own (deleted by id); sixel and iTerm2 images are pixels in the text
// layer, gone only when the cells under them are sent again, which also paints over any kept
// image on those rows.

/// An image on screen, with the id the terminal knows it by.
public struct ShownImage: Equatable, Sendable {
    public let id: UInt32
    public let placement: ImagePlacement
    public init(id: UInt32, placement: ImagePlacement) { self.id = id; self.placement = placement }
}

public struct PlacementDiff: Equatable, Sendable {
    /// Images to delete by id (layered protocols).
    public var deleted: [UInt32] = []
    /// Rows whose cells must be sent again to wipe old pixels (text-layer protocols).
    public var repaintedRows: [Range<Int>] = []
    /// Placements to draw: new ones, and kept ones whose rows were repainted.
    public var drawn: [ImagePlacement] = []
    /// Images that stay as they are.
    public var kept: [ShownImage] = []

    /// From the images `shown` to the placements `wanted` (Canvas.visibleImages).
    public init(shown: [ShownImage], wanted: [ImagePlacement], layered: Bool) {
        let stay = shown.filter { wanted.contains($0.placement) }
        let gone = shown.filter { !wanted.contains($0.placement) }
        drawn = wanted.filter { w in !stay.contains { $0.placement == w } }
        if layered {
            deleted = gone.map(\.id)
        } else {
            // Rows under a gone image, unless a new one of the same size covers exactly its cells.
            repaintedRows = gone.filter { g in !drawn.contains { $0.cells == g.placement.cells && $0.raster.width == g.placement.raster.width && $0.raster.height == g.placement.raster.height } }
                .map { $0.placement.cells.y..<$0.placement.cells.maxY }
            // Kept images on those rows were painted over too.
            drawn += stay.filter { k in repaintedRows.contains { $0.overlaps(k.placement.cells.y..<k.placement.cells.maxY) } }.map(\.placement)
        }
        kept = stay.filter { k in !drawn.contains(k.placement) }
    }
}
