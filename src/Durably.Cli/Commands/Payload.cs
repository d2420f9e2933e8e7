using System.CommandLine;
using System.Text;

namespace Durably.Cli.Commands;

/// <summary>A payload given as an argument, with <c>--file</c>, or on standard input as <c>-</c>.</summary>
internal sealed class Payload
{
    /// <summary>The payload argument (optional; <c>-</c> reads standard input).</summary>
    public Argument<string?> Argument { get; } = new("payload")
    {
        Description = "The payload (JSON text); '-' reads it from standard input",
        Arity = ArgumentArity.ZeroOrOne,
    };

    /// <summary><c>--file</c>.</summary>
    public Option<FileInfo?> File { get; } = new("--file", "-f")
    {
        Description = "Read the payload from this file",
        HelpName = "path",
    };

    /// <summary>Adds the argument and option, and rejects both given at once.</summary>
    public void AddTo(Command command)
    {
        command.Arguments.Add(Argument);
        command.Options.Add(File);
        command.Validators.Add(result =>
        {
            if (result.GetValue(Argument) is not null && result.GetValue(File) is not null)
            {
                result.AddError("payload: give it as an argument or with --file, not both.");
            }
        });
    }

    /// <summary>The payload's bytes: empty when none was given.</summary>
    public async Task<byte[]> ReadAsync(ParseResult parseResult, CliConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(console);
        if (parseResult.GetValue(File) is { } file)
        {
            try
            {
                return await System.IO.File.ReadAllBytesAsync(file.FullName, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new CliUsageException($"--file: cannot read '{file}': {exception.Message}");
            }
        }

        return parseResult.GetValue(Argument) switch
        {
            null => [],
            "-" => Encoding.UTF8.GetBytes(await console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)),
            string text => Encoding.UTF8.GetBytes(text),
        };
    }
}
