// SPDX-License-Identifier: GPL-3.0-or-later
#include "thresholdstatemodel.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace loadbench {

ThresholdStateModel::ThresholdStateModel(QObject *parent) : QAbstractTableModel(parent) {}

void ThresholdStateModel::setThresholds(const QList<Threshold> &thresholds)
{
    QList<ThresholdState> states;
    states.reserve(thresholds.size());
    for (const Threshold &threshold : thresholds) {
        ThresholdState state;
        state.metric = threshold.metric;
        state.expression = threshold.expression;
        states << state;
    }
    beginResetModel();
    m_states = states;
    endResetModel();
}

void ThresholdStateModel::setStates(const QList<ThresholdState> &states)
{
    bool sameRows = states.size() == m_states.size();
    for (qsizetype i = 0; sameRows && i < states.size(); ++i) {
        sameRows = states.at(i).metric == m_states.at(i).metric
                   && states.at(i).expression == m_states.at(i).expression;
    }
    if (!sameRows) {
        beginResetModel();
        m_states = states;
        endResetModel();
        return;
    }
    m_states = states;
    if (!m_states.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

ThresholdStateModel::State ThresholdStateModel::stateAt(int row) const
{
    const ThresholdState &state = m_states.at(row);
    if (!state.hasData)
        return State::Waiting;
    return state.crossed ? State::Crossed : State::Holds;
}

int ThresholdStateModel::crossedCount() const
{
    return int(std::count_if(m_states.cbegin(), m_states.cend(),
                             [](const ThresholdState &s) { return s.hasData && s.crossed; }));
}

int ThresholdStateModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_states.size());
}

int ThresholdStateModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ThresholdStateModel::formatObserved(const ThresholdState &state)
{
    if (!state.hasData)
        return u"–"_s;
    const auto type = builtinMetricType(state.metric);
    const QLocale locale;
    if (type == MetricType::Trend) {
        const int decimals = state.observed < 10 ? 2 : state.observed < 100 ? 1 : 0;
        return locale.toString(state.observed, 'f', decimals) + u" ms"_s;
    }
    if (type == MetricType::Rate)
        return locale.toString(state.observed * 100, 'f', 2) + u" %"_s;
    return locale.toString(state.observed, 'g', 6);
}

QVariant ThresholdStateModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ThresholdState &state = m_states.at(index.row());
    const State current = stateAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case MetricColumn:
            return state.metric;
        case ExpressionColumn:
            return state.expression;
        case ObservedColumn:
            return formatObserved(state);
        case StateColumn:
            switch (current) {
            case State::Waiting:
                return tr("no data yet");
            case State::Holds:
                return tr("✓ holds");
            case State::Crossed:
                return tr("✗ crossed");
            }
        }
        break;
    case Qt::ForegroundRole:
        if (index.column() == StateColumn || index.column() == ObservedColumn) {
            switch (current) {
            case State::Waiting:
                return QBrush(QColor(0x75, 0x75, 0x75));
            case State::Holds:
                return QBrush(QColor(0x1b, 0x7f, 0x37));
            case State::Crossed:
                return QBrush(QColor(0xc6, 0x28, 0x28));
            }
        }
        break;
    case Qt::BackgroundRole:
        switch (current) {
        case State::Waiting:
            return {};
        case State::Holds:
            return QBrush(QColor(0xe6, 0xf4, 0xea));
        case State::Crossed:
            return QBrush(QColor(0xfd, 0xec, 0xea));
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == ObservedColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    default:
        break;
    }
    return {};
}

QVariant ThresholdStateModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case MetricColumn:
        return tr("Metric");
    case ExpressionColumn:
        return tr("Threshold");
    case ObservedColumn:
        return tr("Observed");
    case StateColumn:
        return tr("State");
    default:
        return {};
    }
}

} // namespace loadbench
