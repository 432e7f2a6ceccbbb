# The guest of the ipi_halt micro-VM: two vCPUs in real mode play IPI ping-pong through the
# x2APIC, so that every round trip is one IPI-to-halt wake-up on each vCPU.
#
# Build (the test IpiHaltGuestTest checks that this gives the bytes in ipi-halt.bin):
#   as --32 -o ipi-halt.o ipi-halt.S && objcopy -O binary -j .text ipi-halt.o ipi-halt.bin
#
# The image is loaded at guest physical IMAGE (0x1000), CS=DS=SS=0. The host sets up before the
# first instruction runs: x2APIC mode in IA32_APIC_BASE, rip (A_ENTRY or B_ENTRY), rsp, the IVT
# entries of A_VECTOR and B_VECTOR, and the batch size at BATCH. Every offset the host uses sits
# at a fixed .org so that host code and image cannot drift apart silently.
#
# Interrupts are only open across `sti; hlt` (sti's one-instruction shadow means the wake-up
# cannot slip in between), so a handler may clobber eax, ecx and edx: nothing is live in them
# at the hlt.

        .code16
        .set IMAGE,     0x1000
        .set BATCH,     0x0500          # word, host-written: round trips in the next batch
        .set FLAG_A,    0x0504          # byte, set by A's handler: B has answered
        .set B_READY,   0x0505          # byte, set by B once its APIC accepts interrupts
        .set RING,      0x8000          # qword TSC deltas, one per round trip of the batch
        .set DONE_PORT, 0xf0            # A's `out` here ends a batch: KVM_EXIT_IO to the host
        .set A_VECTOR,  0x41            # B -> A
        .set B_VECTOR,  0x40            # A -> B
        .set MSR_ICR,   0x830
        .set MSR_EOI,   0x80b
        .set MSR_SVR,   0x80f
        .set ICR_FIXED, 0x4000          # fixed delivery, physical destination, level assert

        .text
# vCPU A (x2APIC id 0): the measuring side.
        .org 0x00
a_entry:
        call    apic_on
a_await_b:                              # an IPI to a software-disabled APIC is dropped
        cmpb    $0, (B_READY)
        je      a_await_b
a_batch:
        mov     (BATCH), %si            # si: round trips left in this batch
        mov     $RING, %di              # di: next ring slot
a_loop:
        movb    $0, (FLAG_A)
        rdtsc
        mov     %eax, %ebx              # ebp:ebx = TSC at send
        mov     %edx, %ebp
        mov     $MSR_ICR, %ecx
        mov     $1, %edx                # destination: x2APIC id 1 (vCPU B)
        mov     $(ICR_FIXED | B_VECTOR), %eax
        wrmsr
a_wait:
        sti
        hlt
        cli
        cmpb    $0, (FLAG_A)            # woken by something else than B's answer: sleep again
        je      a_wait
        rdtsc
        sub     %ebx, %eax
        sbb     %ebp, %edx
        mov     %eax, (%di)
        mov     %edx, 4(%di)
        add     $8, %di
        dec     %si
        jnz     a_loop
        out     %al, $DONE_PORT         # batch done: the host reads the ring, then resumes us
        jmp     a_batch

# vCPU B (x2APIC id 1): the answering side; only its interrupt handler does anything.
        .org 0x60
b_entry:
        call    apic_on
        movb    $1, (B_READY)
b_wait:
        sti
        hlt
        cli
        jmp     b_wait

# A_VECTOR on A: B has answered.
        .org 0x70
a_handler:
        movb    $1, (FLAG_A)
        call    eoi
        iret

# B_VECTOR on B: answer A.
        .org 0x80
b_handler:
        call    eoi
        mov     $MSR_ICR, %ecx
        xor     %edx, %edx              # destination: x2APIC id 0 (vCPU A)
        mov     $(ICR_FIXED | A_VECTOR), %eax
        wrmsr
        iret

# Any other vector (spurious 0xff): acknowledged by returning.
        .org 0xa0
ignore_irq:
        iret

# Software-enables the local APIC (SVR bit 8), spurious vector 0xff.
apic_on:
        mov     $MSR_SVR, %ecx
        mov     $0x1ff, %eax
        xor     %edx, %edx
        wrmsr
        ret

eoi:
        mov     $MSR_EOI, %ecx
        xor     %eax, %eax
        xor     %edx, %edx
        wrmsr
        ret
