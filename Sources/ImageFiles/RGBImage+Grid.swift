extension RGBImage {
    /// The contact sheet the render commands and the studio's sweep export write: eight
    /// pictures to a row.
    public static func contactSheet(_ images: [RGBImage]) throws(ImageFileError) -> RGBImage {
        try grid(images, columns: min(images.count, 8))
    }

    /// A contact sheet: `images` laid out row by row, `columns` per row, in cells as large as the
    /// largest image (smaller ones centred), separated and framed by `gap` pixels of `background`.
    public static func grid(_ images: [RGBImage], columns: Int, gap: Int = 2,
                            background: (r: UInt8, g: UInt8, b: UInt8) = (255, 255, 255)) throws(ImageFileError) -> RGBImage {
        guard let cellWidth = images.map(\.width).max(), let cellHeight = images.map(\.height).max(),
              columns > 0, gap >= 0 else {
            throw .invalidDimensions(width: 0, height: 0, pixelCount: 0)
        }
        let rows = (images.count + columns - 1) / columns
        let usedColumns = min(columns, images.count)
        var sheet = try RGBImage(width: usedColumns * (cellWidth + gap) + gap,
                                 height: rows * (cellHeight + gap) + gap, fill: background)
        for (index, image) in images.enumerated() {
            let left = gap + (index % columns) * (cellWidth + gap) + (cellWidth - image.width) / 2
            let top = gap + (index / columns) * (cellHeight + gap) + (cellHeight - image.height) / 2
            sheet.paste(image, left: left, top: top)
        }
        return sheet
    }

    /// Copies `image` with its top-left corner at (left, top); the caller keeps it inside.
    private mutating func paste(_ image: RGBImage, left: Int, top: Int) {
        let rowBytes = image.width * 3
        for row in 0..<image.height {
            let source = row * rowBytes
            let destination = ((top + row) * width + left) * 3
            pixels.replaceSubrange(destination..<(destination + rowBytes),
                                   with: image.pixels[source..<(source + rowBytes)])
        }
    }
}
