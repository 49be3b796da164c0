// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QSocketNotifier>

#include <sys/epoll.h>

#include <cstdint>
#include <vector>

namespace loadbench {

// The native engine's event loop: one epoll set per thread, shared by every NativeClient of that
// thread (each worker thread runs one; so does a test's main thread). It rides on the thread's
// Qt event loop through one QSocketNotifier on the epoll descriptor, so executors' QTimers,
// queued calls and the run's stop keep working unchanged; every socket event then costs one
// epoll_wait for the whole ready batch, not one Qt event per socket. Deadlines (request
// timeouts, arrival-rate starts) sit on a heap whose nearest one arms a timerfd in the same
// epoll set: to the nanosecond asked, where a QTimer counts whole milliseconds and so started
// each scheduled iteration up to 1 ms late.
//
// Nothing here allocates in the steady state: watchers and timers are intrusive (the client
// embeds them), the deadline heap and the event batch are arrays sized once, and the 64 KiB
// read buffer is shared by the loop's clients (a read is consumed before the next one starts).
class NativeLoop : public QObject
{
    Q_OBJECT
public:
    // Something registered for a file descriptor's events.
    class Watcher
    {
    public:
        virtual void onEvents(std::uint32_t events) = 0;

    protected:
        virtual ~Watcher() = default;
    };

    // A deadline on the loop's heap; fires once, then is off the heap until scheduled again.
    class Timer
    {
    public:
        virtual void onTimer() = 0;
        bool isScheduled() const { return m_heapIndex >= 0; }
        std::int64_t deadlineNs() const { return m_deadlineNs; }

    protected:
        virtual ~Timer() = default;

    private:
        friend class NativeLoop;
        std::int64_t m_deadlineNs = 0;
        int m_heapIndex = -1;
    };

    // A call to make after the current batch of events, outside the caller's stack: the
    // allocation-free counterpart of a queued QMetaObject::invokeMethod.
    class Deferred
    {
    public:
        virtual void runDeferred() = 0;
        bool isQueued() const { return m_queued; }

    protected:
        virtual ~Deferred() = default;

    private:
        friend class NativeLoop;
        Deferred *m_next = nullptr;
        bool m_queued = false;
    };

    // The loop of the calling thread, created on first use; released by the last user.
    static NativeLoop *acquire();
    static void release(NativeLoop *loop);
    // The calling thread's loop if one exists, else nullptr.
    static NativeLoop *current();

    bool watch(int fd, std::uint32_t events, Watcher *watcher);
    bool rewatch(int fd, std::uint32_t events, Watcher *watcher);
    // Stops watching `fd` (call before closing it); events of this batch still due to
    // `watcher` are dropped.
    void unwatch(int fd, Watcher *watcher);

    void schedule(Timer *timer, std::int64_t deadlineNs); // steady-clock ns; reschedules if on the heap
    void cancel(Timer *timer);

    void defer(Deferred *call);
    void cancel(Deferred *call);

    // The loop's read buffer, free to use until the caller returns to the loop.
    char *readBuffer() { return m_readBuffer.data(); }
    static constexpr std::size_t readBufferSize = 64 * 1024;

private:
    NativeLoop();
    ~NativeLoop() override;

    void dispatch();
    void runTimers();
    void runDeferred();
    void armTimerFd();
    void wake();
    void heapSwap(int a, int b);
    void siftUp(int i);
    void siftDown(int i);
    void heapRemove(int i);

    int m_epoll = -1;
    int m_wakeFd = -1; // eventfd: deferred calls queued outside a dispatch
    QSocketNotifier *m_notifier = nullptr;
    int m_timerFd = -1;            // timerfd (CLOCK_MONOTONIC, the steady clock) for the heap's front
    bool m_timerArmed = false;
    std::int64_t m_armedForNs = 0; // the deadline m_timerFd is set to, while armed
    std::vector<Timer *> m_heap;
    Deferred *m_deferredHead = nullptr;
    Deferred *m_deferredTail = nullptr;
    int m_deferredCount = 0;
    bool m_dispatching = false;
    bool m_wakePending = false;
    epoll_event m_events[256];
    int m_batchSize = 0;
    int m_batchPos = 0;
    std::vector<char> m_readBuffer;
    int m_users = 0;
};

} // namespace loadbench
