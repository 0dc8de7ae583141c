/// The studio's API as an OpenAPI 3.0 document, served at `/api/openapi.json` with the run's
/// latent size filled in. The suite checks the live server against it with schemathesis
/// (`StudioContractTests`): change a route, change this.
enum OpenAPIDocument {
    static func json(latentDim: Int) -> String { template.replacingOccurrences(of: "\"LATENT\"", with: "\(latentDim)") }

    static let template = #"""
        {
          "openapi": "3.0.3",
          "info": {
            "title": "vaegan-render studio",
            "version": "1",
            "description": "The live studio of one run folder: its state, its latest snapshot, and drawing with its latest weights. Every request must name the studio in its Host header (403 otherwise); a POST must be application/json (415) and come from the studio's own origin if it names one (403)."
          },
          "paths": {
            "/api/state": {
              "get": {
                "summary": "The run as JSON: settings, training progress, latest snapshot, losses, report items.",
                "responses": {
                  "200": { "description": "The state.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/State" } } } },
                  "403": { "$ref": "#/components/responses/Error" },
                  "405": { "$ref": "#/components/responses/Error" }
                }
              }
            },
            "/api/snapshot": {
              "get": {
                "summary": "The latest snapshot's ten grids, one byte per pixel (0 = paper, 255 = ink), label 0 first.",
                "responses": {
                  "200": {
                    "description": "Ten gridSize x gridSize grids.",
                    "headers": {
                      "X-Iteration": { "schema": { "type": "integer" } },
                      "X-Grid-Size": { "schema": { "type": "integer" } }
                    },
                    "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } }
                  },
                  "403": { "$ref": "#/components/responses/Error" },
                  "404": { "$ref": "#/components/responses/Error" },
                  "405": { "$ref": "#/components/responses/Error" }
                }
              }
            },
            "/api/decode": {
              "post": {
                "summary": "The ten digits (labels 0-9) that one latent code draws.",
                "requestBody": {
                  "required": true,
                  "content": { "application/json": { "schema": {
                    "type": "object", "required": ["z"],
                    "properties": { "z": { "type": "array", "minItems": "LATENT", "maxItems": "LATENT", "items": { "type": "number", "minimum": -10, "maximum": 10 }, "description": "As many numbers as the run's latent size." } }
                  } } }
                },
                "responses": {
                  "200": { "description": "The digits.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Decoded" } } } },
                  "400": { "$ref": "#/components/responses/Error" },
                  "403": { "$ref": "#/components/responses/Error" },
                  "405": { "$ref": "#/components/responses/Error" },
                  "413": { "$ref": "#/components/responses/Error" },
                  "415": { "$ref": "#/components/responses/Error" },
                  "503": { "$ref": "#/components/responses/Error" }
                }
              }
            },
            "/api/restyle": {
              "post": {
                "summary": "A drawing made into an MNIST-style digit, its label guessed, and redrawn with every label.",
                "requestBody": {
                  "required": true,
                  "content": { "application/json": { "schema": {
                    "type": "object", "required": ["width", "height", "ink"],
                    "properties": {
                      "width": { "type": "integer", "minimum": 28, "maximum": 512 },
                      "height": { "type": "integer", "minimum": 28, "maximum": 512 },
                      "ink": { "type": "string", "format": "byte", "description": "base64 of width x height bytes, 0 = paper, 255 = ink" },
                      "label": { "type": "integer", "minimum": 0, "maximum": 9, "nullable": true }
                    }
                  } } }
                },
                "responses": {
                  "200": { "description": "The restyled row.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Restyled" } } } },
                  "400": { "$ref": "#/components/responses/Error" },
                  "403": { "$ref": "#/components/responses/Error" },
                  "405": { "$ref": "#/components/responses/Error" },
                  "413": { "$ref": "#/components/responses/Error" },
                  "415": { "$ref": "#/components/responses/Error" },
                  "503": { "$ref": "#/components/responses/Error" }
                }
              }
            },
            "/files/{path}": {
              "get": {
                "summary": "A film, picture, page or log of the run folder (never a checkpoint, a hidden file or anything outside it).",
                "description": "A Range header (bytes=a-b, bytes=a-, bytes=-n) is answered with 206 and that part, or 416 when it lies outside the file; several ranges, or one the studio does not parse, get the whole file.",
                "parameters": [
                  { "name": "path", "in": "path", "required": true, "schema": { "type": "string" }, "example": "config.json" }
                ],
                "responses": {
                  "200": { "description": "The file.", "content": {
                    "application/json": { "schema": {} }, "text/csv": { "schema": { "type": "string" } }, "text/html": { "schema": { "type": "string" } },
                    "image/png": { "schema": { "type": "string", "format": "binary" } }, "image/gif": { "schema": { "type": "string", "format": "binary" } },
                    "video/mp4": { "schema": { "type": "string", "format": "binary" } } } },
                  "206": { "description": "The part asked for.", "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } },
                  "403": { "$ref": "#/components/responses/Error" },
                  "404": { "$ref": "#/components/responses/Error" },
                  "405": { "$ref": "#/components/responses/Error" },
                  "416": { "$ref": "#/components/responses/Error" }
                }
              }
            }
          },
          "components": {
            "responses": {
              "Error": {
                "description": "What went wrong, in one line.",
                "content": { "application/json": { "schema": {
                  "type": "object", "required": ["error"], "properties": { "error": { "type": "string" } }, "additionalProperties": false
                } } }
              }
            },
            "schemas": {
              "Digits": { "type": "array", "minItems": 10, "maxItems": 10, "items": { "type": "string", "format": "byte", "description": "base64 of a 28x28 byte image" } },
              "Decoded": {
                "type": "object", "required": ["iteration", "digits", "serverMs"], "additionalProperties": false,
                "properties": {
                  "iteration": { "type": "integer" },
                  "digits": { "$ref": "#/components/schemas/Digits" },
                  "serverMs": { "type": "number" }
                }
              },
              "Restyled": {
                "type": "object", "required": ["iteration", "label", "digit", "digits"], "additionalProperties": false,
                "properties": {
                  "iteration": { "type": "integer" },
                  "label": { "type": "integer", "minimum": 0, "maximum": 9 },
                  "digit": { "type": "string", "format": "byte" },
                  "digits": { "$ref": "#/components/schemas/Digits" },
                  "guess": { "type": "integer", "minimum": 0, "maximum": 9 },
                  "probabilities": { "type": "array", "minItems": 10, "maxItems": 10, "items": { "type": "number" } }
                }
              },
              "State": {
                "type": "object", "required": ["run"],
                "properties": {
                  "run": { "type": "string", "description": "The run folder's name (never a path of the machine)." },
                  "waiting": { "type": "string" },
                  "problems": { "type": "array", "items": { "type": "string" } },
                  "articleModel": {
                    "type": "object", "required": ["iteration", "latentDim", "file"],
                    "properties": { "iteration": { "type": "integer" }, "latentDim": { "type": "integer" }, "file": { "type": "string" } }
                  },
                  "config": {
                    "type": "object",
                    "required": ["model", "variant", "latentDim", "iterations", "preset", "seed", "batchSize", "iterationsPerPeriod", "dataset"],
                    "properties": {
                      "model": { "type": "string" }, "variant": { "type": "string" }, "latentDim": { "type": "integer" },
                      "iterations": { "type": "integer" }, "preset": { "type": "string" }, "seed": { "type": "string" },
                      "batchSize": { "type": "integer" }, "iterationsPerPeriod": { "type": "integer" }, "dataset": { "type": "string" }
                    }
                  },
                  "training": {
                    "type": "object", "required": ["live", "state", "iteration", "total", "rate", "snapshots", "updated"],
                    "properties": {
                      "live": { "type": "boolean" }, "state": { "type": "string" }, "iteration": { "type": "integer" },
                      "total": { "type": "integer" }, "rate": { "type": "number" }, "snapshots": { "type": "integer" },
                      "updated": { "type": "number" }, "eta": { "type": "string" }
                    }
                  },
                  "snapshot": {
                    "type": "object", "required": ["iteration", "period", "count", "gridSize"],
                    "properties": { "iteration": { "type": "integer" }, "period": { "type": "integer" }, "count": { "type": "integer" }, "gridSize": { "type": "integer" } }
                  },
                  "checkpoint": { "type": "object", "required": ["stamp"], "properties": { "stamp": { "type": "string" } } },
                  "losses": {
                    "type": "object", "required": ["iteration", "prior", "reconstruction"],
                    "properties": {
                      "iteration": { "type": "array", "items": { "type": "integer" } },
                      "prior": { "type": "array", "items": { "type": "number" } },
                      "reconstruction": { "type": "array", "items": { "type": "number" } },
                      "gan": { "type": "array", "items": { "type": "number" } }
                    }
                  },
                  "report": {
                    "type": "array",
                    "items": {
                      "type": "object", "required": ["file", "caption", "alt", "section"],
                      "properties": { "file": { "type": "string" }, "caption": { "type": "string" }, "alt": { "type": "string" }, "section": { "type": "string" } }
                    }
                  }
                }
              }
            }
          }
        }
        """#
}
