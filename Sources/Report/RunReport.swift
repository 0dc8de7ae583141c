import Evaluation
import RunModel
import RunPictures

extension ReportBuilder {
    /// `report`: the report of the run in `run`, in `folder` (nil: the run's own report/),
    /// rendered where stale; with `judge` the run is evaluated first (evaluation.json, which the
    /// page shows). The page reads drawings with `reader`'s classifier of the run's classes, where
    /// it has one. `say` is told the run's damage, the evaluation and each file rendered. Returns
    /// the page's path and how many files were rendered.
    public static func report(
        run: String, folder: String?, dataDirectory: String?, threads: Int, program: String,
        judge: ((RunConfig) throws -> Classifier)?, reader: (RunConfig) -> Classifier?,
        say: @escaping (String) -> Void
    ) throws -> (page: String, rendered: Int) {
        let recorded = try RecordedRun.open(run)
        if let warning = recorded.damageWarning { say(warning) }
        let folder = folder ?? RunPictures.reportPath(recorded.directory)
        try prepare(folder: folder)
        if let judge {
            say("evaluating \(recorded.directory.checkpointPath)")
            let classifier = try judge(recorded.config)
            _ = try EvaluationRecord.evaluate(recorded.directory, classifier: classifier, dataDirectory: dataDirectory)
        }
        let builder = ReportBuilder(
            recorded: recorded, folder: folder, dataDirectory: dataDirectory, threads: threads, program: program,
            classifier: reader(recorded.config), log: say)
        return try builder.write()
    }
}
