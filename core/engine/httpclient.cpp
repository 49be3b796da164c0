// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/httpclient.h"

#include "engine/nativeclient.h"
#include "engine/qnamclient.h"

namespace loadbench {

HttpClient *createHttpClient(EngineKind engine, const QList<PlannedRequest> &plan, QObject *parent)
{
    if (engine == EngineKind::Auto) {
        engine = EngineKind::Native;
        for (const PlannedRequest &request : plan) {
            if (resolveEngine(EngineKind::Auto, request.url) == EngineKind::Qnam)
                engine = EngineKind::Qnam;
        }
    }
    if (engine == EngineKind::Native)
        return new NativeClient(parent);
    return new QnamClient(parent);
}

} // namespace loadbench
