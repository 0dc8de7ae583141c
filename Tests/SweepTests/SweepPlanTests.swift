import Foundation
import Sweep
import TestSupport
import XCTest

/// The grid, the names of its run folders, the commands each point runs, and the sweep file
/// read back (and refused when it is not one).
final class SweepPlanTests: XCTestCase {
    func testTheGridIsEveryCombinationNamedByItsValues() throws {
        let plan = try SweepPlan(
            axes: [
                .init(.seed, values: ["0", "1", "2"]), .init(.variant, values: ["figures", "published"])
            ],
            common: ["--iterations", "30"], evaluate: ["--samples", "10"])
        // Axes in SweepSetting's order (variant before seed), the first slowest.
        XCTAssertEqual(plan.axes.map(\.setting), [.variant, .seed])
        XCTAssertEqual(
            plan.points.map(\.name),
            [
                "variant-figures_seed-0", "variant-figures_seed-1", "variant-figures_seed-2",
                "variant-published_seed-0", "variant-published_seed-1", "variant-published_seed-2"
            ])
        XCTAssertEqual(
            plan.trainArguments(plan.points[4], run: "/s/runs/x"),
            [
                "train-and-record", "--run", "/s/runs/x", "--variant", "published", "--seed", "1", "--iterations", "30",
                "--quiet"
            ])
        XCTAssertEqual(SweepPlan.runPath(plan.points[0], in: "/s"), "/s/runs/variant-figures_seed-0")
    }

    func testBadAxesAreRefusedInOneLine() {
        for (axes, phrase) in [
            ([SweepPlan.Axis(.seed, values: [])], "one or more different values"),
            ([.init(.seed, values: ["1", "1"])], "one or more different values"),
            ([.init(.variant, values: ["../x"])], "not a value a run folder can be named by")
        ] {
            XCTAssertThrowsError(try SweepPlan(axes: axes, common: [], evaluate: [])) {
                XCTAssertTrue("\($0)".contains(phrase), "\($0)")
                XCTAssertFalse("\($0)".contains("\n"))
            }
        }
    }

    func testTheFileReadsBackAndAForeignOneIsRefused() throws {
        let dir = try tempDir("sweep-plan")
        XCTAssertNil(try SweepPlan.read(from: dir), "no sweep yet")
        var plan = try SweepPlan(axes: [.init(.seed, values: ["4", "5"])], common: [], evaluate: [])
        plan.slurmJob = "17"
        try plan.write(to: dir)
        XCTAssertEqual(try SweepPlan.read(from: dir), plan)

        let path = SweepPlan.path(in: dir)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for (bad, phrase) in [
            ("{not json", "is not a sweep file"),
            (text.replacingOccurrences(of: "vaegan-render sweep", with: "something else"), "version 1"),
            (text.replacingOccurrences(of: "\"seed-4\"", with: "\"..\\/..\\/etc\""), "outside the sweep"),
            // A setting no sweep varies, as an axis or a point's value.
            (text.replacingOccurrences(of: "\"flag\" : \"seed\"", with: "\"flag\" : \"gamma\""), "is not a sweep file"),
            (text.replacingOccurrences(of: "\"seed\" : \"5\"", with: "\"gamma\" : \"5\""), "is not a sweep file")
        ] {
            try bad.write(toFile: path, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try SweepPlan.read(from: dir)) {
                XCTAssertTrue("\($0)".contains(path) && "\($0)".contains(phrase), "\($0)")
            }
        }
    }

    /// sweep.json as the program wrote it before its settings were typed (Fixtures/sweep.json,
    /// written by `sweep --on slurm` of every setting, sbatch absent): it reads back, and the plan
    /// the same flags ask for now is written byte for byte the same.
    func testASweepFileOfTheStringFormatReadsAndIsWrittenTheSame() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        let old = try Data(contentsOf: fixture.appendingPathComponent("sweep.json"))
        let dir = try tempDir("sweep-format")
        try old.write(to: URL(fileURLWithPath: SweepPlan.path(in: dir)))
        let read = try XCTUnwrap(try SweepPlan.read(from: dir))
        XCTAssertEqual(read.axes.map(\.setting), SweepSetting.allCases)
        XCTAssertEqual(read.points.count, 4)
        XCTAssertEqual(read.points[3].values[.latentDim], "2")
        XCTAssertEqual(read.points[3].values[.seed], "1")

        let asked = try XCTUnwrap(
            try SweepRequest(
                lists: [
                    .model: "cvae-gan", .variant: "figures,published", .preset: "default", .precision: "fp32",
                    .latentDim: "2", .seed: "0,1"
                ], iterations: 6, snapshotEvery: 3, batchSize: 16, data: "/data/mnist", threads: 1, evalSamples: 10,
                evalTestDigits: 100
            ).plan())
        XCTAssertEqual(asked, read)
        let again = try tempDir("sweep-format-new")
        try asked.write(to: again)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: SweepPlan.path(in: again))), old)
        try read.write(to: again)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: SweepPlan.path(in: again))), old)
    }

    func testAFolderWithoutAConfigHasNotStarted() throws {
        let dir = try tempDir("sweep-state")
        XCTAssertEqual(try PointState.of(run: dir + "/absent"), .notStarted)
        try Data().write(to: URL(fileURLWithPath: dir + "/lock"))
        XCTAssertEqual(try PointState.of(run: dir), .notStarted, "a lock alone is a task killed at its start")
    }

    /// The job array: one task per point, requeueable, output kept per task, each task running
    /// `sweep DIR --point N` with the program quoted for bash.
    func testTheBatchScriptRunsOnePointPerTask() {
        let script = Slurm.script(sweep: "/shared/s", executable: "/opt/it's/vaegan-render", points: 4, threads: 2)
        for line in [
            "#!/bin/bash", "#SBATCH --array=0-3", "#SBATCH --requeue", "#SBATCH --cpus-per-task=2",
            "#SBATCH --output=/shared/s/slurm/%A_%a.out",
            #"exec '/opt/it'\''s/vaegan-render' sweep '/shared/s' --point "$SLURM_ARRAY_TASK_ID""#
        ] {
            XCTAssertTrue(script.split(separator: "\n").contains(Substring(line)), "\(line) in\n\(script)")
        }
        XCTAssertFalse(
            Slurm.script(sweep: "/s", executable: "/x", points: 1, threads: nil).contains("cpus-per-task"))
    }

    /// How `sweep --jobs` shares the cores: by default a point per core, the cores left over
    /// shared among fewer points; the cores divided among the jobs asked for; as many jobs as the
    /// cores hold for the threads asked for.
    func testJobsShareTheCores() {
        let cases: [((cores: Int, points: Int, jobs: Int?, threads: Int?), (Int, Int))] = [
            ((2, 4, nil, nil), (2, 1)), ((2, 1, nil, nil), (1, 2)), ((1, 4, nil, nil), (1, 1)),
            ((16, 100, nil, nil), (16, 1)), ((16, 4, nil, nil), (4, 4)), ((16, 3, nil, nil), (3, 5)),
            ((2, 4, 2, nil), (2, 1)), ((16, 4, 3, nil), (3, 5)), ((2, 4, 4, nil), (4, 1)), ((2, 4, 1, nil), (1, 2)),
            ((2, 4, nil, 1), (2, 1)), ((16, 4, nil, 4), (4, 4)), ((2, 4, nil, 8), (1, 8)), ((2, 4, 3, 2), (3, 2))
        ]
        for ((cores, points, jobs, threads), expected) in cases {
            let share = SweepRunner.share(cores: cores, points: points, jobs: jobs, threads: threads)
            XCTAssertTrue(
                share == expected,
                "\(cores) cores, \(points) points, --jobs \(jobs as Any), --threads \(threads as Any): \(share)")
        }
    }
}
