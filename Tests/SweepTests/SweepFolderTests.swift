import Foundation
import Sweep
import TestSupport
import XCTest

/// A sweep folder continued, replaced or refused by the settings asked for, and the progress
/// line's counts and estimate.
final class SweepFolderTests: XCTestCase {
    func plan(seeds: [String]) throws -> SweepPlan {
        try SweepPlan(axes: [.init(.seed, values: seeds)], common: ["--iterations", "2"], evaluate: [])
    }

    /// A sweep that never started a point gives way to other settings; one that did refuses
    /// them; the same settings, or none, continue it.
    func testTheChoiceOfWhatAFolderHolds() throws {
        let folder = SweepFolder("/s")
        let a = try plan(seeds: ["0", "1"]), b = try plan(seeds: ["5"])
        XCTAssertEqual(try folder.choose(existing: nil, asked: a, started: false), .create)
        XCTAssertEqual(try folder.choose(existing: a, asked: nil, started: true), .keep)
        XCTAssertEqual(try folder.choose(existing: a, asked: try plan(seeds: ["0", "1"]), started: true), .keep)
        XCTAssertEqual(try folder.choose(existing: a, asked: b, started: false), .replace)
        let other = try SweepPlan(axes: [.init(.seed, values: ["0", "1"])], common: [], evaluate: ["--samples", "2"])
        XCTAssertEqual(try folder.choose(existing: a, asked: other, started: false), .replace, "other arguments")
        XCTAssertThrowsError(try folder.choose(existing: a, asked: b, started: true)) {
            XCTAssertEqual(
                "\($0)",
                "/s holds a sweep of other settings (its sweep.json); continue it without grid flags, or choose another folder"
            )
        }
        XCTAssertThrowsError(try folder.choose(existing: nil, asked: nil, started: false)) {
            XCTAssertEqual("\($0)", "/s holds no sweep yet: give the settings to vary, e.g. --seeds 0,1,2")
        }
    }

    func testOpeningWritesReplacesOrRefuses() throws {
        let dir = try tempDir("sweep-folder") + "/s"
        let folder = SweepFolder(dir)
        XCTAssertThrowsError(try folder.plan()) { XCTAssertEqual("\($0)", "\(dir) holds no sweep (no sweep.json)") }
        let a = try plan(seeds: ["0", "1"]), b = try plan(seeds: ["5"])
        XCTAssertEqual(try folder.open(asking: a), a)
        XCTAssertEqual(try folder.plan(), a, "written")
        XCTAssertFalse(folder.startedAnyPoint)
        XCTAssertEqual(try folder.open(asking: b), b, "never started: replaced")
        XCTAssertEqual(try folder.plan(), b)
        try FileManager.default.createDirectory(atPath: dir + "/runs/seed-5", withIntermediateDirectories: true)
        XCTAssertTrue(folder.startedAnyPoint)
        XCTAssertThrowsError(try folder.open(asking: a)) {
            XCTAssertTrue("\($0)".contains("holds a sweep of other settings"))
        }
        XCTAssertEqual(try folder.plan(), b, "a refused sweep leaves the file")
        XCTAssertEqual(try folder.open(asking: nil), b)
    }

    /// The progress line counts the sweep's points by stage (an unreadable one is left), and
    /// estimates the time left from the points this process finished, shared by the jobs.
    func testTheProgressLine() throws {
        let stages: [PointState.Stage?] = [.done, .running, .stopped, nil, .trained, .done]
        XCTAssertEqual(
            SweepProgress.line(stages: stages, finishedHere: 0, elapsed: 100, jobs: 1),
            "sweep: 2 done, 1 running, 3 left")
        XCTAssertEqual(
            SweepProgress.line(stages: stages, finishedHere: 2, elapsed: 100, jobs: 2),
            "sweep: 2 done, 1 running, 3 left, ETA 1m15s")
        XCTAssertEqual(
            SweepProgress.line(stages: [.done, .done], finishedHere: 2, elapsed: 100, jobs: 1),
            "sweep: 2 done, 0 running, 0 left")

        // From the run folders: none started, so all left; only a point finished here counts.
        let dir = try tempDir("sweep-progress")
        let start = Date(timeIntervalSince1970: 1000)
        let progress = SweepProgress(sweep: dir, plan: try plan(seeds: ["0", "1", "2"]), jobs: 1, started: start)
        let later = start.addingTimeInterval(30)
        XCTAssertEqual(progress.line(after: .alreadyDone, now: later), "sweep: 0 done, 0 running, 3 left")
        XCTAssertEqual(progress.line(after: .runningElsewhere, now: later), "sweep: 0 done, 0 running, 3 left")
        XCTAssertEqual(progress.line(after: .finished, now: later), "sweep: 0 done, 0 running, 3 left, ETA 1m30s")
        XCTAssertEqual(progress.line(after: .finished, now: later), "sweep: 0 done, 0 running, 3 left, ETA 45s")
    }

    /// The flags' lists made a plan: nothing asked is no plan, an empty item names its flag.
    func testTheRequestedGrid() throws {
        XCTAssertNil(try SweepRequest(lists: [:]).plan())
        let plan = try XCTUnwrap(
            try SweepRequest(lists: [.seed: "0,1", .latentDim: "2"], iterations: 6, evalSamples: 10).plan())
        XCTAssertEqual(plan.axes, [.init(.latentDim, values: ["2"]), .init(.seed, values: ["0", "1"])])
        XCTAssertEqual(plan.common, ["--iterations", "6"])
        XCTAssertEqual(plan.evaluate, ["--samples", "10"])
        XCTAssertEqual(plan.points.map(\.name), ["latent-dim-2_seed-0", "latent-dim-2_seed-1"])
        XCTAssertThrowsError(try SweepRequest(lists: [.seed: "0,,1"]).plan()) {
            XCTAssertEqual("\($0)", "--seeds has an empty item in '0,,1'")
        }
        XCTAssertThrowsError(try SweepRequest(lists: [.variant: ""]).plan()) {
            XCTAssertEqual("\($0)", "--variants needs one or more different values")
        }
    }
}
