//! A small hand-written table for the unit tests, shaped like a generated one: two services and
//! an input that uses every kind of type, a union, a recursive structure and an empty one.

use super::{Call, Failure, Member, Operation, Paginated, Program, Service, Struct, Ty};
use crate::client::SdkError;
use crate::validation::{Constraint, ValidationError, Violation};
use serde::Deserialize;
use std::convert::Infallible;

/// The program the tests run.
pub(super) const PROGRAM: Program<'static> = Program { name: "demo", version: "1.2.3", services: SERVICES };

/// Every service of the table.
pub(super) static SERVICES: &[Service] = &[
    Service {
        name: "things",
        title: "Thing Store",
        doc: &["Stores things.", "", "Things are kept forever."],
        operations: &[
            Operation {
                name: "list-things",
                model_name: "ListThings",
                doc: &[],
                input_type: "ListThingsInput",
                input: &Struct { name: "ListThingsInput", members: &[] },
                run: succeed,
                paginated: Some(&Paginated {
                    input_token: "NextToken",
                    output_token: &["NextToken"],
                    items: Some(&["Things"]),
                    page_size: None,
                }),
            },
            Operation {
                name: "put-thing",
                model_name: "PutThing",
                doc: &["Stores a thing.", "", "A thing with the same name is replaced."],
                input_type: "PutThingInput",
                input: &PUT_THING_INPUT,
                run: put_thing,
                paginated: None,
            },
        ],
        waiters: &[Operation {
            name: "wait thing-stored",
            model_name: "ThingStored",
            doc: &["Until the thing is stored."],
            input_type: "PutThingInput",
            input: &PUT_THING_INPUT,
            run: wait_thing_stored,
            paginated: None,
        }],
    },
    Service {
        name: "widget-store",
        title: "Widgets",
        doc: &[],
        operations: &[Operation {
            name: "get-widget",
            model_name: "GetWidget",
            doc: &["Deprecated: use things."],
            input_type: "GetWidgetInput",
            input: &GET_WIDGET_INPUT,
            run: fail,
            paginated: None,
        }],
        waiters: &[],
    },
];

/// The input of `put-thing`.
pub(super) static PUT_THING_INPUT: Struct = Struct {
    name: "PutThingInput",
    members: &[
        Member { name: "name", ty: Ty::Scalar("string"), required: true, doc: &["The thing's name.", "", "Unique."] },
        Member { name: "size", ty: Ty::Scalar("integer"), required: false, doc: &[] },
        Member { name: "color", ty: Ty::Enum(&["red", "dark-blue"]), required: false, doc: &["Its color."] },
        Member { name: "levels", ty: Ty::List(&Ty::IntEnum(&["1", "10"])), required: false, doc: &[] },
        Member { name: "tags", ty: Ty::List(&Ty::Structure(&TAG)), required: false, doc: &[] },
        Member {
            name: "labels",
            ty: Ty::Map(&Ty::Scalar("string"), &Ty::List(&Ty::Scalar("string"))),
            required: false,
            doc: &[],
        },
        Member { name: "parts", ty: Ty::Map(&Ty::Scalar("string"), &Ty::Structure(&TAG)), required: false, doc: &[] },
        Member { name: "shape", ty: Ty::Union(&SHAPE), required: false, doc: &[] },
        Member { name: "tree", ty: Ty::Structure(&TREE), required: false, doc: &[] },
        Member { name: "when", ty: Ty::Scalar("timestamp"), required: false, doc: &[] },
        Member { name: "flag", ty: Ty::Scalar("boolean"), required: false, doc: &[] },
        Member { name: "nothing", ty: Ty::Structure(&EMPTY), required: false, doc: &[] },
    ],
};

/// A key and a value.
static TAG: Struct = Struct {
    name: "Tag",
    members: &[
        Member { name: "Key", ty: Ty::Scalar("string"), required: true, doc: &["The tag's key."] },
        Member { name: "Value", ty: Ty::Scalar("string"), required: false, doc: &[] },
    ],
};

/// A union whose member is a structure with a required member.
static SHAPE: Struct = Struct {
    name: "Shape",
    members: &[
        Member { name: "circle", ty: Ty::Structure(&CIRCLE), required: false, doc: &[] },
        Member { name: "side", ty: Ty::Scalar("double"), required: false, doc: &[] },
    ],
};

/// The structure inside the union.
static CIRCLE: Struct = Struct {
    name: "Circle",
    members: &[Member { name: "radius", ty: Ty::Scalar("integer"), required: true, doc: &[] }],
};

/// A structure that holds itself.
static TREE: Struct = Struct {
    name: "Tree",
    members: &[
        Member { name: "name", ty: Ty::Scalar("string"), required: true, doc: &[] },
        Member { name: "left", ty: Ty::Structure(&TREE), required: false, doc: &[] },
        Member { name: "children", ty: Ty::List(&Ty::Structure(&TREE)), required: false, doc: &[] },
    ],
};

/// A structure without members.
static EMPTY: Struct = Struct { name: "Empty", members: &[] };

/// The input of `get-widget`: blobs and documents.
static GET_WIDGET_INPUT: Struct = Struct {
    name: "GetWidgetInput",
    members: &[
        Member { name: "id", ty: Ty::Scalar("blob"), required: true, doc: &[] },
        Member { name: "extra", ty: Ty::Scalar("document"), required: false, doc: &[] },
    ],
};

/// The typed input of `put-thing`, as the library's serde derive would read it (only the
/// members the tests set).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PutThing {
    /// `name`.
    pub(super) name: String,
    /// `size`.
    pub(super) size: Option<i32>,
}

/// The validation of `PutThingInput`: a name of at most three characters.
pub(super) fn validate(input: &PutThing) -> Result<(), ValidationError> {
    if input.name.len() <= 3 {
        return Ok(());
    }
    let violation = Violation {
        path: "name".to_owned(),
        constraint: Constraint::Length { min: None, max: Some(3) },
        message: "must be at most 3 characters".to_owned(),
    };
    Err(ValidationError { input: "PutThingInput", violations: vec![violation] })
}

/// Sends `put-thing` nowhere: the tests only reach the checks before the configuration.
fn put_thing(call: &Call<'_>) -> Result<(), Failure> {
    call.run(validate, |_config, input: PutThing| async move { Ok::<_, SdkError<Infallible>>(input.size) })
}

/// Waits for a thing: stored when its size is set, timed out otherwise (without sending).
fn wait_thing_stored(call: &Call<'_>) -> Result<(), Failure> {
    use crate::waiter::{FinalPoll, WaiterError};
    call.wait(validate, |_config, input: PutThing, max_wait| async move {
        match input.size {
            Some(size) => Ok(FinalPoll::Output(size)),
            None => Err(WaiterError::<i32, Infallible>::TimedOut { waiter: "ThingStored", attempts: 1, max_wait }),
        }
    })
}

/// An operation that succeeds without doing anything.
fn succeed(_call: &Call<'_>) -> Result<(), Failure> {
    Ok(())
}

/// An operation whose call fails.
fn fail(_call: &Call<'_>) -> Result<(), Failure> {
    Err(Failure::call("GetWidget failed: the widget is gone"))
}
