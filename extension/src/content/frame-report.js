// Loaded by frame.js in a frame whose text box got the focus: tells the worker, which
// judges from the sender (the frame's origin against the tab's) whether draftguard can
// check it (background/unprotected.js).

import { askWorker, MSG } from "../shared/protocol.js";

export function report() {
  return askWorker({ type: MSG.reach, where: "frame" });
}
