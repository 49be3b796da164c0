// SPDX-License-Identifier: GPL-3.0-or-later
#include "appresources.h"

#include <QtGlobal>

// Q_INIT_RESOURCE must not be used inside a namespace.
static void initLoadbenchResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace loadbench {

void initAppResources()
{
    static const bool done = [] {
        initLoadbenchResources();
        return true;
    }();
    Q_UNUSED(done);
}

} // namespace loadbench
