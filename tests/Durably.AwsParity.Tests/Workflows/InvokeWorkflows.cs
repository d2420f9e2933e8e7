using Durably;

namespace AwsParity.Workflows;

// InvokeAsync as AWS's SDK writes it: payload and result types, an InvokeConfig, InvokeException subclasses.
public record QuoteRequest(string Sku, int Quantity);
public record Quote(string Sku, decimal Price);

public static class InvokeWorkflows
{
    public static async Task<string> InvokePricing(QuoteRequest request, IDurableContext ctx)
    {
        var quote = await ctx.InvokeAsync<QuoteRequest, Quote>("pricing", request, name: "get-quote", config: new InvokeConfig { TenantId = "tenant-a" });
        try
        {
            await ctx.InvokeAsync<QuoteRequest, Quote>("broken-pricing", request, name: "get-second-quote");
            return "unreachable";
        }
        catch (InvokeFailedException ex)
        {
            return $"{quote.Sku}={quote.Price}; {ex.FunctionName} failed: {ex.ErrorType}";
        }
    }
}
