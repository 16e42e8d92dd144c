// Runs the PinPad contract suite against the serial driver talking to the PIN pad emulator over a real socat pty pair.
import { decryptPin } from '../../firmware/crypto/dukpt';
import { startPinPadRig, TEST_BDK } from '../drivers/pinpad-serial-rig';
import { pinpadContract } from './pinpad.contract';

pinpadContract('serial driver + emulator over a pty', async () => {
  const rig = await startPinPadRig();
  return {
    device: rig.pad,
    enterPin: (pin) => rig.emulator.enterPin(pin),
    bypass: () => rig.emulator.bypass(),
    cancel: () => rig.emulator.cancel(),
    decryptPin: (pinBlock, ksn, pan, format) => decryptPin({ bdk: TEST_BDK, ksn, pinBlock, pan, format }),
    teardown: () => rig.teardown(),
  };
});
