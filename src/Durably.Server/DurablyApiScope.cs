namespace Durably;

/// <summary>What an API key may do (docs/security.md lists which route needs which scope).</summary>
public enum DurablyApiScope
{
    /// <summary>Everything: register and remove HTTP functions, stop executions, and every other scope's routes.</summary>
    Admin,

    /// <summary>Invoke functions and read functions, executions and their history (the CLI's everyday commands).</summary>
    Invoke,

    /// <summary>Checkpoint and read execution state with a checkpoint token only: what a worker (an HTTP function) needs.</summary>
    DataPlane,

    /// <summary>Answer callbacks (succeed, fail, heartbeat) only: what an external system completing a callback needs.</summary>
    Callbacks,
}
