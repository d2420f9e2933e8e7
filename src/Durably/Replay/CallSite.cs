using System.Diagnostics;
using System.Reflection;

namespace Durably.Replay;

/// <summary>
/// Finds the workflow code that asked for an operation: the innermost stack frame outside the SDK and the runtime.
/// Read from the stack, only when replay found a mismatch, rather than with [CallerFilePath]/[CallerLineNumber]
/// parameters: those would change every public operation signature, and the happy path pays nothing this way.
/// An operation reads its record before its first await, so the caller's frame is still on the stack.
/// </summary>
internal static class CallSite
{
    private static readonly Assembly Sdk = typeof(CallSite).Assembly;

    public static string? Find()
    {
        foreach (StackFrame frame in new StackTrace(skipFrames: 1, fNeedFileInfo: true).GetFrames())
        {
            Assembly? assembly = frame.GetMethod()?.DeclaringType?.Assembly;
            if (assembly is null || assembly == Sdk || IsRuntime(assembly))
            {
                continue;
            }

            // StackTrace's text names an async method as written (not its state machine's MoveNext) with file and line.
            string text = new StackTrace(frame).ToString().Trim();
            return text.StartsWith("at ", StringComparison.Ordinal) ? text[3..] : text;
        }

        return null;
    }

    private static bool IsRuntime(Assembly assembly) =>
        assembly == typeof(object).Assembly || assembly.GetName().Name?.StartsWith("System.", StringComparison.Ordinal) == true;
}
