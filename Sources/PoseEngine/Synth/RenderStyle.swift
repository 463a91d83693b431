/// How a head is drawn; the raw value is the style word that starts the prompt.
public enum RenderStyle: String, Sendable, Codable, CaseIterable {
    /// Smooth shading, specular highlights, soft gradient background, film grain.
    case photo
    /// Flat colours in two tones with black outlines on a plain background.
    case cartoon
    /// Graphite outlines and hatching on paper, no colour.
    case sketch
    /// Visible brush strokes, wobbly edges, colour noise on canvas.
    case painting
}
