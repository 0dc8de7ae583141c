/// The studio's API as an OpenAPI 3.0 document (`API/openapi.json`, embedded in the program),
/// served at `/api/openapi.json` with the numbers that belong to the code written in: the run's
/// latent size and the bounds `Requests` checks. The suite checks the live server against it with
/// schemathesis (`StudioContractTests`), and the router's routes against its paths
/// (`StudioRouterTests`): a route cannot be added without it.
public enum OpenAPIDocument {
    /// The document for a run whose latent vectors have `latentDim` numbers.
    public static func json(latentDim: Int) -> String {
        let bound = Int(Requests.latentBound)
        return [
            "latentDim": "\(latentDim)", "latentMin": "\(-bound)", "latentMax": "\(bound)",
            "sideMin": "\(Requests.drawingSides.lowerBound)", "sideMax": "\(Requests.drawingSides.upperBound)",
            "pictureSideMin": "\(Requests.pictureSides.lowerBound)",
            "pictureSideMax": "\(Requests.pictureSides.upperBound)"
        ].reduce(String(decoding: PackageResources.openapi_json, as: UTF8.self)) { text, value in
            text.replacingOccurrences(of: "\"{{\(value.key)}}\"", with: value.value)
        }
    }
}
