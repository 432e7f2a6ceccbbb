package dev.kvmmp.worker.knobs;

/** One cpuidle state of one vCPU: {@code /sys/devices/system/cpu/cpu<cpu>/cpuidle/state<index>}. */
record IdleState(int cpu, int index, String name) {

  String disableFile() {
    return SysfsLayout.cpuidleDir(cpu) + "/state" + index + "/disable";
  }
}
