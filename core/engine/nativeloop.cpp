// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/nativeloop.h"

#include "engine/clock.h"

#include <QLoggingCategory>

#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace loadbench {

namespace {

thread_local NativeLoop *t_loop = nullptr;

// The eventfd's registration: reading it clears the wake-up; the loop then runs its deferred calls.
class WakeWatcher final : public NativeLoop::Watcher
{
public:
    void onEvents(std::uint32_t) override {}
};
WakeWatcher wakeWatcher;
// The timerfd's registration: the loop reads it and runs the timers due.
WakeWatcher timerWatcher;

} // namespace

NativeLoop *NativeLoop::acquire()
{
    if (!t_loop)
        t_loop = new NativeLoop;
    ++t_loop->m_users;
    return t_loop;
}

void NativeLoop::release(NativeLoop *loop)
{
    // Normally on the loop's own thread. A client deleted after its thread ended (a worker torn
    // down by the runner) releases it from another thread: that thread's own loop, if it has
    // one, is a different object and stays.
    if (--loop->m_users == 0) {
        if (t_loop == loop)
            t_loop = nullptr;
        delete loop;
    }
}

NativeLoop *NativeLoop::current()
{
    return t_loop;
}

NativeLoop::NativeLoop()
    : m_epoll(epoll_create1(EPOLL_CLOEXEC))
    , m_wakeFd(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC))
    , m_timerFd(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC))
    , m_readBuffer(readBufferSize)
{
    if (m_epoll < 0 || m_wakeFd < 0 || m_timerFd < 0)
        qFatal("loadbench: epoll_create1/eventfd/timerfd_create failed: %s", std::strerror(errno));
    watch(m_wakeFd, EPOLLIN, &wakeWatcher);
    watch(m_timerFd, EPOLLIN, &timerWatcher);
    m_heap.reserve(1024);
    m_notifier = new QSocketNotifier(m_epoll, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &NativeLoop::dispatch);
}

NativeLoop::~NativeLoop()
{
    delete m_notifier;
    ::close(m_timerFd);
    ::close(m_wakeFd);
    ::close(m_epoll);
}

bool NativeLoop::watch(int fd, std::uint32_t events, Watcher *watcher)
{
    epoll_event ev{};
    ev.events = events;
    ev.data.ptr = watcher;
    return epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev) == 0;
}

bool NativeLoop::rewatch(int fd, std::uint32_t events, Watcher *watcher)
{
    epoll_event ev{};
    ev.events = events;
    ev.data.ptr = watcher;
    return epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &ev) == 0;
}

void NativeLoop::unwatch(int fd, Watcher *watcher)
{
    epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
    // The batch being dispatched may still hold events of this descriptor: a watcher that
    // closed its socket (and may open another on the same number) must not get them.
    for (int i = m_batchPos + 1; i < m_batchSize; ++i) {
        if (m_events[i].data.ptr == watcher)
            m_events[i].data.ptr = nullptr;
    }
}

void NativeLoop::dispatch()
{
    m_dispatching = true;
    bool timersDue = false;
    const int n = epoll_wait(m_epoll, m_events, int(std::size(m_events)), 0);
    m_batchSize = std::max(n, 0);
    for (m_batchPos = 0; m_batchPos < m_batchSize; ++m_batchPos) {
        auto *watcher = static_cast<Watcher *>(m_events[m_batchPos].data.ptr);
        if (watcher == &wakeWatcher) {
            std::uint64_t count;
            [[maybe_unused]] const auto r = ::read(m_wakeFd, &count, sizeof count);
            m_wakePending = false;
        } else if (watcher == &timerWatcher) {
            std::uint64_t expirations;
            [[maybe_unused]] const auto r = ::read(m_timerFd, &expirations, sizeof expirations);
            m_timerArmed = false;
            timersDue = true;
        } else if (watcher) {
            watcher->onEvents(m_events[m_batchPos].events);
        }
    }
    m_batchSize = m_batchPos = 0;
    m_dispatching = false;
    if (timersDue)
        runTimers(); // runs the deferred calls too
    else
        runDeferred();
}

void NativeLoop::defer(Deferred *call)
{
    if (call->m_queued)
        return;
    call->m_queued = true;
    call->m_next = nullptr;
    if (m_deferredTail)
        m_deferredTail->m_next = call;
    else
        m_deferredHead = call;
    m_deferredTail = call;
    ++m_deferredCount;
    if (!m_dispatching)
        wake(); // nothing else would bring the loop back to run it
}

void NativeLoop::cancel(Deferred *call)
{
    if (!call->m_queued)
        return;
    Deferred *previous = nullptr;
    for (Deferred *d = m_deferredHead; d; previous = d, d = d->m_next) {
        if (d != call)
            continue;
        (previous ? previous->m_next : m_deferredHead) = d->m_next;
        if (m_deferredTail == d)
            m_deferredTail = previous;
        --m_deferredCount;
        break;
    }
    call->m_queued = false;
    call->m_next = nullptr;
}

void NativeLoop::runDeferred()
{
    // Only as many calls as were queued when it began: one queued while these run (a VU whose
    // next request failed at once) waits for the next turn, so Qt's timers and events get
    // theirs in between. Each call leaves the live queue before it runs, so a call may cancel
    // or queue any other.
    for (int budget = m_deferredCount; budget > 0 && m_deferredHead; --budget) {
        Deferred *call = m_deferredHead;
        m_deferredHead = call->m_next;
        if (!m_deferredHead)
            m_deferredTail = nullptr;
        --m_deferredCount;
        call->m_queued = false;
        call->m_next = nullptr;
        call->runDeferred();
    }
    if (m_deferredHead)
        wake();
}

void NativeLoop::wake()
{
    if (m_wakePending)
        return;
    m_wakePending = true;
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto w = ::write(m_wakeFd, &one, sizeof one);
}

// Deadlines: an indexed binary min-heap, so a request that completes removes its timeout in
// O(log n) (lazy deletion would keep 60 s timeouts of finished requests around by the thousand).
void NativeLoop::schedule(Timer *timer, std::int64_t deadlineNs)
{
    if (timer->m_heapIndex >= 0) {
        const std::int64_t old = timer->m_deadlineNs;
        timer->m_deadlineNs = deadlineNs;
        if (deadlineNs < old)
            siftUp(timer->m_heapIndex);
        else
            siftDown(timer->m_heapIndex);
    } else {
        timer->m_deadlineNs = deadlineNs;
        timer->m_heapIndex = int(m_heap.size());
        m_heap.push_back(timer);
        siftUp(timer->m_heapIndex);
    }
    armTimerFd();
}

void NativeLoop::cancel(Timer *timer)
{
    if (timer->m_heapIndex >= 0)
        heapRemove(timer->m_heapIndex);
    // The timerfd stays armed: firing early for nothing once is cheaper than a system call
    // to re-arm it on every request whose timeout ends with its answer.
}

void NativeLoop::armTimerFd()
{
    if (m_heap.empty())
        return;
    const std::int64_t nearest = m_heap.front()->m_deadlineNs;
    if (m_timerArmed && m_armedForNs <= nearest)
        return;
    // An absolute deadline on CLOCK_MONOTONIC, the clock steadyNowNs() reads; one already past
    // fires at once (0 would disarm it: 1 ns is the earliest).
    itimerspec at{};
    const std::int64_t when = std::max<std::int64_t>(nearest, 1);
    at.it_value.tv_sec = time_t(when / 1'000'000'000);
    at.it_value.tv_nsec = long(when % 1'000'000'000);
    if (timerfd_settime(m_timerFd, TFD_TIMER_ABSTIME, &at, nullptr) != 0)
        qFatal("loadbench: timerfd_settime failed: %s", std::strerror(errno));
    m_timerArmed = true;
    m_armedForNs = nearest;
}

void NativeLoop::runTimers()
{
    const std::int64_t now = steadyNowNs();
    while (!m_heap.empty() && m_heap.front()->m_deadlineNs <= now) {
        Timer *timer = m_heap.front();
        heapRemove(0);
        timer->onTimer();
    }
    armTimerFd();
    runDeferred();
}

void NativeLoop::heapSwap(int a, int b)
{
    std::swap(m_heap[size_t(a)], m_heap[size_t(b)]);
    m_heap[size_t(a)]->m_heapIndex = a;
    m_heap[size_t(b)]->m_heapIndex = b;
}

void NativeLoop::siftUp(int i)
{
    while (i > 0) {
        const int parent = (i - 1) / 2;
        if (m_heap[size_t(parent)]->m_deadlineNs <= m_heap[size_t(i)]->m_deadlineNs)
            break;
        heapSwap(i, parent);
        i = parent;
    }
}

void NativeLoop::siftDown(int i)
{
    const int n = int(m_heap.size());
    for (;;) {
        const int left = 2 * i + 1;
        const int right = left + 1;
        int smallest = i;
        if (left < n && m_heap[size_t(left)]->m_deadlineNs < m_heap[size_t(smallest)]->m_deadlineNs)
            smallest = left;
        if (right < n && m_heap[size_t(right)]->m_deadlineNs < m_heap[size_t(smallest)]->m_deadlineNs)
            smallest = right;
        if (smallest == i)
            return;
        heapSwap(i, smallest);
        i = smallest;
    }
}

void NativeLoop::heapRemove(int i)
{
    const int last = int(m_heap.size()) - 1;
    Timer *removed = m_heap[size_t(i)];
    if (i != last) {
        heapSwap(i, last);
        m_heap.pop_back();
        siftDown(i);
        siftUp(i);
    } else {
        m_heap.pop_back();
    }
    removed->m_heapIndex = -1;
}

} // namespace loadbench
