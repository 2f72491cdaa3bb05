local = = =
function (
