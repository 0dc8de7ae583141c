import ArgumentParser
import Training

struct VaeganRender: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vaegan-render",
        abstract: "Train a conditional VAE+GAN on MNIST on the CPU and render its training as films and sheets.",
        discussion: """
            A run directory holds everything: train-and-record writes it, render and export read it.

              vaegan-render train-and-record --run myrun        train and snapshot (the default preset)
              vaegan-render render manifold_7.mp4 --run myrun   the 15x15 manifold of label 7, one frame per snapshot
              vaegan-render render --all --run myrun            manifold_0.mp4 ... manifold_9.mp4
              vaegan-render export style-transfer --run myrun   the style-transfer matrix as PNG
              vaegan-render evaluate --run myrun                 label accuracy, sharpness, Fréchet distance, ... of the run
              vaegan-render sweep sweeps/s --seeds 0,1,2         a grid of runs, here or on Slurm
              vaegan-render compare sweeps/s                     the sweep's runs side by side, one page
              vaegan-render bench                                timings of the training and rendering kernels
              vaegan-render kernels                              which kernels this machine runs, and who chose them
            """,
        version: ProgramVersion.description,
        subcommands: [
            TrainAndRecord.self, Render.self, Export.self, Evaluate.self, ReportCommand.self, Serve.self,
            SweepCommand.self, CompareCommand.self, TrainClassifier.self, BenchCommand.self, Kernels.self
        ])
}
