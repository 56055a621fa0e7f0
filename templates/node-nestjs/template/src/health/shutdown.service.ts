import { Injectable } from "@nestjs/common";

/** Whether the service is stopping: from then on it is not ready for new requests. */
@Injectable()
export class ShutdownState {
  stopping = false;
}
