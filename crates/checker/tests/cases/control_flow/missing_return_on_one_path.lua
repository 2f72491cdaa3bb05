-- A function annotated `(): string` that falls off its end on one path.
local function pick(b: boolean): string -- expect-error: E0010 missing return
    if b then
        return "yes"
    end
end
print(pick(true))
