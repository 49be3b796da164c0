// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/intervalsnapshot.h"
#include "metrics/summary.h"
#include "scenario/scenario.h"

#include <QWidget>

class QAction;
class QLabel;
class QProgressBar;
class QSlider;
class QSpinBox;
class QTimer;
class QTableView;
class QTableWidget;
class QToolButton;

namespace loadbench {

class LiveCharts;
class MetricCard;
class ThresholdStateModel;

// The run as it happens: Run / Stop / Export, the phase, metric cards, live charts and the
// thresholds' states. Shows values it is given; the main window owns the Runner.
class RunPanel : public QWidget
{
    Q_OBJECT
public:
    enum class Tone { Neutral, Busy, Good, Bad };

    explicit RunPanel(QWidget *parent = nullptr);

    void setActions(QAction *run, QAction *stop, QAction *exportReport);
    // Before a run starts: clears charts and cards, lists the thresholds as waiting.
    void prepare(const Scenario &scenario);
    void showSnapshot(const IntervalSnapshot &snapshot);
    // The launched service's CPU over the last interval, in cores (negative: none launched);
    // shown beside the generator's with the next snapshot.
    void setServiceCpu(double cores) { m_serviceCores = cores; }
    void showSummary(const Summary &summary);
    void setPhase(const QString &text, Tone tone = Tone::Neutral);
    // The VU control of an externally-controlled scenario: shown when the prepared scenario has
    // one, live while its run goes. The runner's answer (clamped, applied) shows beside it.
    void setVuControlLive(bool live);
    void showVuChange(int vus, const QString &message);

    LiveCharts *liveCharts() const { return m_charts; }
    ThresholdStateModel *thresholdModel() const { return m_thresholdModel; }
    QTableView *thresholdView() const { return m_thresholdView; }
    // Failed requests grouped by kind with their counts, beside the thresholds; hidden while
    // nothing failed.
    QTableWidget *errorsView() const { return m_errorsView; }
    QLabel *phaseLabel() const { return m_phase; }
    QLabel *verdictLabel() const { return m_verdict; }
    // Which engine the prepared scenario runs on, then which one ran (and on how many threads).
    QLabel *engineLabel() const { return m_engine; }
    // The generator's (and the launched service's) CPU, red while the generator is saturated.
    QLabel *cpuLabel() const { return m_cpu; }
    QProgressBar *progressBar() const { return m_progress; }
    QToolButton *runButton() const { return m_runButton; }
    QToolButton *stopButton() const { return m_stopButton; }
    QToolButton *exportButton() const { return m_exportButton; }
    MetricCard *requestsCard() const { return m_requestsCard; }
    MetricCard *latencyCard() const { return m_latencyCard; }
    MetricCard *errorsCard() const { return m_errorsCard; }
    MetricCard *vusCard() const { return m_vusCard; }
    MetricCard *elapsedCard() const { return m_elapsedCard; }
    QWidget *vuControl() const { return m_vuControl; }
    QSlider *vuSlider() const { return m_vuSlider; }
    QSpinBox *vuSpin() const { return m_vuSpin; }
    QLabel *vuMessage() const { return m_vuMessage; }

Q_SIGNALS:
    // The user asked for this many VUs in the externally-controlled scenario `scenario`.
    void vusRequested(int vus, const QString &scenario);

public:

    static QString formatMs(double ms);
    static QString formatClock(double seconds);

private:
    void updateVerdict(bool final);
    void showCpu(const IntervalSnapshot &snapshot);
    void showErrors(const QList<QPair<QString, quint64>> &errors);

    QToolButton *m_runButton;
    QToolButton *m_stopButton;
    QToolButton *m_exportButton;
    QLabel *m_phase;
    QLabel *m_engine;
    QLabel *m_cpu;
    double m_serviceCores = -1;
    QProgressBar *m_progress;
    MetricCard *m_requestsCard;
    MetricCard *m_latencyCard;
    MetricCard *m_errorsCard;
    MetricCard *m_vusCard;
    MetricCard *m_elapsedCard;
    LiveCharts *m_charts;
    ThresholdStateModel *m_thresholdModel;
    QTableView *m_thresholdView;
    QTableWidget *m_errorsView;
    QLabel *m_verdict;
    QWidget *m_vuControl;
    QSlider *m_vuSlider;
    QSpinBox *m_vuSpin;
    QLabel *m_vuMessage;
    QTimer *m_vuDebounce;
    QString m_vuScenario;
    double m_plannedSeconds = 0;
};

} // namespace loadbench
