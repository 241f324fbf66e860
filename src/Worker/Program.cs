using System.Runtime.InteropServices;
using ExportFlows.Worker.Cli;

using var cancellation = new CancellationTokenSource();
// Ctrl-C (SIGINT) and SIGTERM both stop running work the same way: the verb reports what it did and exits 130.
// A second signal is not intercepted, so it ends the process at once.
void Stop(PosixSignalContext signal)
{
    if (!cancellation.IsCancellationRequested)
    {
        signal.Cancel = true;
        cancellation.Cancel();
    }
}
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
{
    InterruptChoice.OnTerminate(); // nobody at the terminal to answer the interrupt prompt
    Stop(signal);
});
return await ExportFlowsCli.RunAsync(args, Console.Out, Console.Error, cancellation.Token);
