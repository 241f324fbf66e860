namespace ExportFlows.Worker.Cli;

public static class ExitCodes
{
    public const int Success = 0;
    public const int ExportFailed = 1;
    public const int InvalidInput = 2;
    public const int Unhealthy = 3;
}
