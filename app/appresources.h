// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace loadbench {

// Registers the workbench's resources (presets, icon) compiled into the static loadbench_gui
// library; a static library's resources are only linked in when something calls this. Cheap and
// idempotent: every entry point that reads ":/..." calls it.
void initAppResources();

} // namespace loadbench
