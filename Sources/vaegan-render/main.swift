print("vaegan-render")
