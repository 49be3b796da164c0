// SPDX-License-Identifier: GPL-3.0-or-later
#include "clireport.h"

#include "analysis/k6results.h"
#include "analysis/runrecording.h"
#include "clirun.h"
#include "output/runfolder.h"
#include "output/summaryjson.h"
#include "output/textsummary.h"
#include "report/htmlreport.h"
#include "report/latencysvg.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace loadbench {

namespace {

constexpr auto usage = "usage: loadbench-cli report RUN_DIR|RESULTS.jsonl [--from 60s] [--to 150s] "
                       "[--summary-export OUT.json] [--out DIR] (see report --help)";

bool isResultsFile(const QString &path)
{
    const QFileInfo info(path);
    if (!info.isFile())
        return false;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    // The interval file starts with its magic; anything else is taken for JSON lines.
    return !f.read(6).startsWith("LBHIST");
}

} // namespace

int CliReport::parseArguments(const QStringList &arguments, ReportOptions *options, QString *why, QString *helpText)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Loadbench report: the summary of a finished run, or of a time window of it, from its files."));
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption from(QStringLiteral("from"), QStringLiteral("The window starts DURATION after the run's start (default: the start)."), QStringLiteral("DURATION"));
    const QCommandLineOption to(QStringLiteral("to"), QStringLiteral("The window ends DURATION after the run's start (default: the end)."), QStringLiteral("DURATION"));
    const QCommandLineOption summaryExport(QStringLiteral("summary-export"),
                                           QStringLiteral("Write summary.json (k6 --summary-export shape) to PATH."), QStringLiteral("PATH"));
    const QCommandLineOption outDir(QStringLiteral("out"), QStringLiteral("Write summary.json, report.html and latency.svg into DIR."), QStringLiteral("DIR"));
    const QCommandLineOption trendStats(QStringLiteral("summary-trend-stats"),
                                        QStringLiteral("The summary's trend statistics, as k6's --summary-trend-stats: avg,min,med,max,p(90),p(95) (default: the run's own; k6's default for a results.jsonl)."),
                                        QStringLiteral("STATS"));
    const QCommandLineOption quiet({QStringLiteral("q"), QStringLiteral("quiet")}, QStringLiteral("No text summary."));
    parser.addOptions({help, from, to, summaryExport, outDir, trendStats, quiet});
    parser.addPositionalArgument(QStringLiteral("report"), QStringLiteral("the command"));
    parser.addPositionalArgument(QStringLiteral("INPUT"), QStringLiteral("a run folder, or a k6 --out json / Loadbench results.jsonl file"));

    if (!parser.parse(QStringList{QStringLiteral("loadbench-cli")} + arguments)) {
        *why = QStringLiteral("report: ") + parser.errorText();
        return ExitInvalidConfig;
    }
    if (parser.isSet(help)) {
        *helpText = parser.helpText() + QStringLiteral(R"help(
Windows:
  --from and --to take durations since the run's start: "90s", "1m30s", "2m" (a bare number
  means milliseconds, as everywhere in k6). From a run folder, the window holds the 1 s intervals
  whose midpoint lies in [from, to), merged histogram by histogram: percentiles are exact to the
  histograms' precision (3 significant digits). From a results.jsonl, it holds the points whose
  timestamp lies in [from, to); the run's start is estimated from the points.

Exit codes: 0; 99 a threshold is crossed in the window; 104 bad input (missing file, not a run
folder, a window outside the run, a bad duration); 1 an output could not be written.
)help");
        return ExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2) {
        *why = (positional.size() < 2 ? QStringLiteral("report: missing the run folder or results file; ")
                                      : QStringLiteral("report: one input expected, got %1; ").arg(positional.size() - 1))
               + QLatin1String(usage);
        return ExitInvalidConfig;
    }
    options->input = positional.at(1);
    for (const auto &[option, target] : {std::pair{&from, &options->from}, std::pair{&to, &options->to}}) {
        if (!parser.isSet(*option))
            continue;
        QString reason;
        const QString text = parser.value(*option);
        const std::optional<Nanoseconds> d = parseDuration(QStringView(text), &reason);
        if (!d) {
            *why = QStringLiteral("report: --%1: \"%2\" is not a duration (%3)")
                       .arg(option->names().constFirst(), parser.value(*option), reason);
            return ExitInvalidConfig;
        }
        *target = *d;
    }
    if (options->from && options->to && *options->to <= *options->from) {
        *why = QStringLiteral("report: --to %1 must come after --from %2")
                   .arg(formatDuration(*options->to), formatDuration(*options->from));
        return ExitInvalidConfig;
    }
    options->summaryExportPath = parser.value(summaryExport);
    options->outDir = parser.value(outDir);
    if (parser.isSet(trendStats)) {
        for (const QString &part : parser.value(trendStats).split(u',', Qt::SkipEmptyParts)) {
            const QString stat = part.trimmed();
            static const QRegularExpression valid(QStringLiteral(R"(^(avg|min|med|max|count|p\((100|[0-9]{1,2})(\.[0-9]+)?\))$)"));
            if (!valid.match(stat).hasMatch()) {
                *why = QStringLiteral("report: --summary-trend-stats: \"%1\" is no trend statistic "
                                      "(avg, min, med, max, count or p(N) with N from 0 to 100)")
                           .arg(stat);
                return ExitInvalidConfig;
            }
            options->summaryTrendStats.append(stat);
        }
    }
    options->quiet = parser.isSet(quiet);
    return ExitOk;
}

int CliReport::run(const ReportOptions &options, QTextStream &out, QTextStream &err)
{
    auto failWith = [&](int code, const QString &why) {
        err << "loadbench-cli: report: " << why << Qt::endl;
        return code;
    };
    if (!QFileInfo::exists(options.input))
        return failWith(ExitInvalidConfig, options.input + QStringLiteral(": no such file or folder"));

    Summary summary;
    QList<IntervalSnapshot> timeline;
    QString source;
    QString why;
    const Nanoseconds from = options.from.value_or(Nanoseconds(0));
    const Nanoseconds to = options.to.value_or(Nanoseconds(std::numeric_limits<qint64>::max() / 2));
    if (isResultsFile(options.input)) {
        K6ResultsOptions k6;
        k6.summaryTrendStats = options.summaryTrendStats;
        k6.from = options.from;
        k6.to = options.to;
        std::optional<K6Results> results = readK6Results(options.input, k6, &why);
        if (!results)
            return failWith(ExitInvalidConfig, why);
        summary = results->summary;
        timeline = results->recording.timeline(from, to);
        if (!results->cutNote.isEmpty())
            err << "loadbench-cli: report: " << results->cutNote << Qt::endl;
        if (results->skippedPoints)
            err << "loadbench-cli: report: skipped " << results->skippedPoints << " points of metrics Loadbench does not record: "
                << results->skippedMetrics.join(QStringLiteral(", ")) << Qt::endl;
        source = QStringLiteral("%1 (%2 points, start estimated %3)")
                     .arg(options.input)
                     .arg(results->points)
                     .arg(results->startTime.toString(Qt::ISODateWithMs));
    } else {
        std::optional<RunRecording> recording = RunRecording::load(options.input, &why);
        if (!recording)
            return failWith(ExitInvalidConfig, why);
        if (recording->truncated())
            err << "loadbench-cli: report: " << recording->note() << Qt::endl;
        if (const QString bad = recording->windowError(from, to); !bad.isEmpty())
            return failWith(ExitInvalidConfig, options.input + QStringLiteral(": ") + bad);
        summary = recording->summarize(from, to);
        timeline = recording->timeline(from, to);
        source = QStringLiteral("%1 (%2 intervals)").arg(options.input).arg(recording->intervalCount());
        if (!options.summaryTrendStats.isEmpty()) {
            summary.scenario.summaryTrendStats = options.summaryTrendStats;
        }
    }

    if (!options.quiet) {
        out << "source: " << source << '\n';
        if (options.from || options.to)
            out << "window: " << formatDuration(from) << " to "
                << (options.to ? formatDuration(to) : QStringLiteral("the end")) << " ("
                << QString::number(summary.durationSeconds, 'f', 1) << " s)\n";
        out << '\n' << textSummary(summary) << Qt::endl;
    }

    int code = summary.thresholdsCrossed() ? ExitThresholdsCrossed : ExitOk;
    auto written = [&](bool ok) {
        if (!ok) {
            err << "loadbench-cli: report: " << why << Qt::endl;
            code = ExitError;
        }
    };
    if (!options.summaryExportPath.isEmpty())
        written(writeFileAtomically(options.summaryExportPath, [&](QIODevice &o) { writeSummaryJson(o, summary); }, &why));
    if (!options.outDir.isEmpty()) {
        if (!QDir().mkpath(options.outDir)) {
            why = options.outDir + QStringLiteral(": cannot create the folder");
            written(false);
        } else {
            const QDir dir(options.outDir);
            const QString title = QStringLiteral("%1 — latency").arg(summary.scenario.name);
            written(writeFileAtomically(dir.filePath(QStringLiteral("summary.json")), [&](QIODevice &o) { writeSummaryJson(o, summary); }, &why)
                    && writeFileAtomically(dir.filePath(QStringLiteral("latency.svg")), [&](QIODevice &o) { writeLatencySvg(o, timeline, title); }, &why)
                    && writeFileAtomically(dir.filePath(QStringLiteral("report.html")), [&](QIODevice &o) { writeHtmlReport(o, summary, timeline); }, &why));
            if (code != ExitError && !options.quiet)
                out << "report: " << dir.absoluteFilePath(QStringLiteral("report.html")) << Qt::endl;
        }
    }
    return code;
}

} // namespace loadbench
