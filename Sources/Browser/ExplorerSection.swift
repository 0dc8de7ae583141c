/// The section where a page runs the model: the latent explorer, draw-a-digit or restyle a
/// picture of one's own, and (where the page can decode a whole grid) a manifold of any label. explore.js fills it, in the report page with
/// the page's own model and in the studio with the studio's server; both pages take this markup
/// and its style from here, so that the two explorers are one.
public enum ExplorerSection {
    /// The section's markup. `status` is the line shown until the model is ready (and what a page
    /// without JavaScript keeps); the pad starts on latent dimensions `axes`.
    public static func html(axes: (Int, Int), status: String, manifold: Bool) -> String {
        var h = """
            <section id="explore" data-axes="\(axes.0),\(axes.1)"><h2>Explore the model</h2>
            <p class="explore-status">\(escapeHTML(status))</p>
            <div class="explore-grid">
            <div><h3>Latent explorer</h3>
            <p>Drag in the pad to move two dimensions of one code; the sliders set each of them. The images below are that one code decoded with every label.</p>
            <canvas id="pad" width="240" height="240" aria-label="pad over two latent dimensions"></canvas>
            <p><label>across <select id="axis-x"></select></label> <label>down <select id="axis-y"></select></label></p>
            <div id="sliders" class="sliders"></div>
            <div id="explore-digits" class="digits"></div>
            <p id="explore-note" class="explore-note"></p></div>
            <div id="draw-part"><h3>Draw a digit, or restyle your own picture</h3>
            <p>Draw one digit (or any shape) where the model is MNIST-shaped; it is made into a 28x28 image as MNIST's digits were. Or drop a picture here (or choose one): it is fitted as the training images were. Either is read by the classifier (or takes the label you choose), encoded, and redrawn as every label.</p>
            <canvas id="draw" width="140" height="140" aria-label="drawing board"></canvas>
            <p><label>a picture: <input type="file" id="picture" accept="image/*"></label></p>
            <p><button type="button" id="draw-clear">Clear</button> <label>as <select id="draw-label"><option value="auto">read it</option></select></label>
            <canvas id="draw-seen" width="28" height="28" aria-label="the digit the model saw"></canvas></p>
            <p id="draw-guess"></p>
            <div id="draw-digits" class="digits"></div></div>\n
            """
        if manifold {
            h += """
                <div><h3>Manifold</h3>
                <p>The 15x15 grid of one label over the explorer's two dimensions, drawn in the page.</p>
                <p><label>label <select id="manifold-label"></select></label> <button type="button" id="manifold-draw">Draw</button></p>
                <canvas id="manifold" width="420" height="420" aria-label="manifold grid"></canvas>
                <p id="manifold-note"></p></div>\n
                """
        }
        return h + "</div></section>\n"
    }

    /// The section's style (explore.css), scoped to it so that it sits in either page's own.
    public static let css = PageFiles.explorerStyle
}
