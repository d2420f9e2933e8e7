using Durably.Protocol;

namespace Durably.AwsParity.Tests;

/// <summary>AWS's exception and config shapes that need no execution to check.</summary>
public sealed class ExceptionAndConfigTests
{
    [Fact]
    public void Exceptions_are_built_from_a_message_and_an_inner_exception_with_AWS_properties()
    {
        var cause = new InvalidOperationException("cause");

        var callback = new CallbackTimeoutException("late", cause) { CallbackId = "cb-1", ErrorType = "Callback.Timeout" };
        var invoke = new InvokeFailedException("boom") { FunctionName = "pricing" };
        var child = new ChildContextException("child", cause) { SubType = "Fulfilment", OriginalStackTrace = ["at X"] };
        var condition = new WaitForConditionException("gave up") { AttemptsExhausted = 4 };

        Assert.Equal(("late", cause, "cb-1", "Callback.Timeout"), (callback.Message, callback.InnerException, callback.CallbackId, callback.ErrorType));
        Assert.IsAssignableFrom<CallbackException>(callback);
        Assert.Equal(("boom", "pricing"), (invoke.Message, invoke.FunctionName));
        Assert.Equal(("Fulfilment", "at X"), (child.SubType, child.OriginalStackTrace![0]));
        Assert.Equal(4, condition.AttemptsExhausted);
        Assert.Equal(WaitForConditionException.AttemptsExhaustedErrorType, condition.ErrorType);
        Assert.Equal("StepException", new StepException("s").ErrorType);
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(-0.1)]
    [InlineData(25.0)]
    [InlineData(double.NaN)]
    public void ToleratedFailurePercentage_outside_zero_to_one_is_rejected_with_a_clear_message(double value)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new CompletionConfig { ToleratedFailurePercentage = value });

        Assert.Equal(nameof(CompletionConfig.ToleratedFailurePercentage), exception.ParamName);
        Assert.Contains("ratio in [0, 1]", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_presets_use_ratios()
    {
        Assert.Equal(1, CompletionConfig.AllCompleted().ToleratedFailurePercentage);
        Assert.Equal((1, 1.0), (CompletionConfig.FirstSuccessful().MinSuccessful, CompletionConfig.FirstSuccessful().ToleratedFailurePercentage));
        Assert.Equal(0.0, new CompletionConfig { ToleratedFailurePercentage = 0 }.ToleratedFailurePercentage);
    }

    [Fact]
    public void Batch_errors_are_exceptions_carrying_the_recorded_error()
    {
        var error = new ErrorObject { ErrorType = "Boom", ErrorMessage = "item failed" };
        var result = new BatchResult<int>(
        [
            new BatchItem<int>(0, null, BatchItemStatus.Succeeded, 1, null),
            new BatchItem<int>(1, null, BatchItemStatus.Failed, 0, error),
            new BatchItem<int>(2, null, BatchItemStatus.Started, 0, null),
        ], CompletionReason.FailureToleranceExceeded);

        DurableExecutionException only = Assert.Single(result.GetErrors());
        Assert.Equal((error, "item failed"), (only.Error, only.Message));
        Assert.Equal(1, ((IBatchResult)result).StartedCount);
        Assert.Equal(2, Assert.Single(result.Started).Index);
        Assert.Equal("item failed", Assert.Throws<ChildContextException>(result.ThrowIfError).Message);
    }
}
